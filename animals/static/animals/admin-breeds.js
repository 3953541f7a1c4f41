// The animal's admin page: the breed select offers only the breeds of the chosen species, and the fields of
// the facts that do not apply to it (data-hidden-facts on the species select: {species id: [field names]}) hide. Its options come
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
    var hiddenFacts = JSON.parse(species.getAttribute("data-hidden-facts") || "{}");
    var factFields = {};
    Object.keys(hiddenFacts).forEach(function (id) {
      hiddenFacts[id].forEach(function (name) {
        factFields[name] = true;
      });
    });
    function showFactsOf() {
      var hidden = hiddenFacts[species.value] || [];
      Object.keys(factFields).forEach(function (name) {
        var row = document.querySelector(".form-row.field-" + name);
        if (row) {
          row.style.display = hidden.indexOf(name) !== -1 ? "none" : "";
        }
      });
    }
    species.addEventListener("change", showBreedsOf);
    species.addEventListener("change", showFactsOf);
    showBreedsOf();
    showFactsOf();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
