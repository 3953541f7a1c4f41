// Checkout: show the state/region field only for countries whose addresses have one, and say what it is
// there (the mapping comes from the country select's data-region-labels; the server checks the same rule).
(function () {
  "use strict";
  var country = document.getElementById("id_country");
  var region = document.getElementById("id_region");
  if (!country || !region || !country.dataset.regionLabels) {
    return;
  }
  var labels = JSON.parse(country.dataset.regionLabels);
  var wrapper = region.closest(".mb-3") || region.parentElement;
  var help = document.getElementById("id_region_helptext");

  function update() {
    var word = labels[country.value];
    wrapper.hidden = !word;
    region.required = Boolean(word);
    if (word && help) {
      help.textContent = word + ": needed for an address in " + country.options[country.selectedIndex].text + ".";
    }
  }

  country.addEventListener("change", update);
  update();
})();
