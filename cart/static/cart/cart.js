// Update the cart in place: its forms post with fetch, and the fresh cart page (the redirect's target)
// replaces the page's main content and the header badge. Without JavaScript the forms post as usual.
(() => {
  "use strict";

  const swap = (html) => {
    const fresh = new DOMParser().parseFromString(html, "text/html");
    for (const selector of ["#main", "[data-cart-count]"]) {
      const current = document.querySelector(selector);
      const replacement = fresh.querySelector(selector);
      if (current && replacement) {
        current.replaceWith(replacement);
      }
    }
    document.title = fresh.title;
  };

  document.addEventListener("submit", async (event) => {
    const form = event.target.closest("form[data-cart-form]");
    if (!form || form.dataset.busy) {
      return;
    }
    event.preventDefault();
    form.dataset.busy = "1";
    try {
      const response = await fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        credentials: "same-origin",
      });
      if (!response.ok) {
        throw new Error(`cart update answered ${response.status}`);
      }
      swap(await response.text());
      document.getElementById("main")?.focus();
    } catch {
      delete form.dataset.busy;
      form.submit(); // fall back to the ordinary post
    }
  });
})();
