// Hearts: mark the visitor's saved animals (the cards are cached and shared, so they carry no state), and
// save or remove a favourite in place. Without this script, each heart still posts its form.
(function () {
  "use strict";
  const shared = document.getElementById("favourite-form");
  const saved = new Set(((shared && shared.dataset.favourites) || "").split(",").filter(Boolean));

  function mark(button, on) {
    button.setAttribute("aria-pressed", on ? "true" : "false");
    const icon = button.querySelector("[aria-hidden]");
    if (icon) {
      icon.textContent = on ? "♥ In your favourites" : "♡ Save to favourites";
    } else {
      button.textContent = on ? "♥" : "♡";
    }
  }

  document.querySelectorAll("button.favourite-heart").forEach(function (button) {
    if (!button.hasAttribute("aria-pressed")) {
      mark(button, saved.has(button.value));
    }
  });

  document.addEventListener("click", function (event) {
    const button = event.target.closest("button.favourite-heart");
    if (!button || !button.form) {
      return;
    }
    event.preventDefault();
    const on = button.getAttribute("aria-pressed") !== "true";
    const data = new FormData(button.form);
    data.set("animal", button.value);
    data.set("saved", on ? "1" : "0");
    button.disabled = true;
    fetch(button.form.action, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        return response.json().then(function (result) {
          if (!response.ok) {
            throw new Error(result.error || "Please try again.");
          }
          if (result.saved) {
            saved.add(button.value);
          } else {
            saved.delete(button.value);
          }
          document.querySelectorAll("button.favourite-heart").forEach(function (other) {
            if (other.value === button.value) {
              mark(other, result.saved);
            }
          });
        });
      })
      .catch(function (error) {
        window.alert(error.message);
      })
      .finally(function () {
        button.disabled = false;
      });
  });
})();
