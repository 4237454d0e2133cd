// The progress page of a background import: asks for its status every few seconds, updates
// the figures, and reloads the page once the import has finished (the page then shows the
// outcome). A file of its own: the content security policy allows no inline script.
"use strict";
(function () {
  const page = document.getElementById("import-progress");
  if (!page) return;
  const every = 2000;
  async function poll() {
    try {
      const response = await fetch(page.dataset.statusUrl, { headers: { Accept: "application/json" } });
      if (response.ok) {
        const status = await response.json();
        if (status.finished || status.status !== page.dataset.status) {
          window.location.reload();
          return;
        }
        for (const element of page.querySelectorAll("[data-field]")) {
          const value = status[element.dataset.field];
          if (value !== undefined && value !== null) element.textContent = value;
        }
      }
    } catch (error) {
      // A missed poll (the server restarting): try again at the next one.
    }
    window.setTimeout(poll, every);
  }
  window.setTimeout(poll, every);
})();
