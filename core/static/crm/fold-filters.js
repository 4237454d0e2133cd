// On a narrow screen the filter panel starts folded so that the results come first; it
// stays open when the filters have an error to show. Loaded as a blocking script right
// after the panel, so that it folds before the page is first drawn (no layout shift).
(() => {
  const panel = document.currentScript.previousElementSibling;
  if (panel && window.matchMedia("(max-width: 48rem)").matches && !panel.querySelector(".errorlist")) {
    panel.open = false;
  }
})();
