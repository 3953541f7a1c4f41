// The animal's admin page: the breed select offers only the breeds of the chosen species. Its options come
// grouped by species (<optgroup label="Dog">), labelled as the species select names them; without this script
// the form offers the species' breeds once the animal is saved with its species (animals/admin.py).
(function () {
  "use strict";
  function setUp() {
    var species = document.getElementById("id_species");
    var breed = document.getElementById("id_breed");
    if (!species || !breed) {
      return;
    }
    var groups = Array.prototype.slice.call(breed.querySelectorAll("optgroup"));
    function showBreedsOf() {
      var chosen = species.value ? species.options[species.selectedIndex].text : "";
      groups.forEach(function (group) {
        var offered = !chosen || group.label === chosen;
        group.hidden = !offered;
        group.disabled = !offered;
      });
      var selected = breed.options[breed.selectedIndex];
      if (selected && selected.parentElement.tagName === "OPTGROUP" && selected.parentElement.disabled) {
        breed.value = "";
      }
    }
    species.addEventListener("change", showBreedsOf);
    showBreedsOf();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
