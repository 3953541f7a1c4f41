// The catalogue's filter: once a species is chosen, the breed filter offers only that species' breeds at once
// (without this script, the page does the same after "Show animals"). Every breed is in <template id="breed-options">,
// grouped by species in <optgroup>s labelled with the species' name, as in the species select.
(function () {
  "use strict";
  var species = document.getElementById("id_species");
  var breed = document.getElementById("id_breed");
  var all = document.getElementById("breed-options");
  if (!species || !breed || !all) {
    return;
  }
  function showBreedsOf() {
    var chosen = species.value ? species.options[species.selectedIndex].text : "";
    var current = breed.value;
    var nodes = all.content.children;
    breed.replaceChildren();
    for (var i = 0; i < nodes.length; i += 1) {
      if (nodes[i].tagName === "OPTGROUP" && chosen && nodes[i].label !== chosen) {
        continue;
      }
      breed.appendChild(nodes[i].cloneNode(true));
    }
    breed.value = current;
    if (breed.value !== current) {
      breed.value = "";
    }
  }
  species.addEventListener("change", showBreedsOf);
})();
