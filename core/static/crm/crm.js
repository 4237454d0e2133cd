// Progressive enhancement only: every page works without this file.
// On a narrow screen the filter panel starts folded so that the results come first;
// it stays open when the filters have an error to show.
document.addEventListener("DOMContentLoaded", () => {
  const panel = document.querySelector("details.filter-panel");
  if (panel && window.matchMedia("(max-width: 48rem)").matches && !panel.querySelector(".errorlist")) {
    panel.open = false;
  }
});
