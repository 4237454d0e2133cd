// Accessible names for what the admin's widgets draw without one (axe-core: label,
// select-name, aria-input-field-name, list): Select2's combobox and search box take the
// field's label; inputs in tabular inlines take their column heading.
(function () {
  "use strict";

  function labelText(select) {
    const label = select.id && document.querySelector('label[for="' + select.id + '"]');
    if (label) return label.textContent.replace(/:\s*$/, "").trim();
    return columnHeading(select);
  }

  function columnHeading(field) {
    const cell = field.closest("td");
    const table = field.closest("table");
    if (!cell || !table) return "";
    const headings = table.querySelectorAll("thead th");
    const heading = headings[Array.prototype.indexOf.call(cell.parentNode.children, cell)];
    return heading ? heading.textContent.trim() : "";
  }

  function nameAutocompletes() {
    document.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      const name = labelText(select);
      const container = select.nextElementSibling;
      if (!name || !container || !container.classList.contains("select2")) return;
      container.querySelectorAll(".select2-selection").forEach(function (box) {
        box.setAttribute("aria-label", name);
        box.removeAttribute("aria-labelledby");
      });
      container.querySelectorAll(".select2-selection__rendered[role]").forEach(function (text) {
        text.setAttribute("aria-label", name);
      });
      container.querySelectorAll(".select2-search__field").forEach(function (field) {
        field.setAttribute("aria-label", name);
      });
      // Select2 puts its "clear" cross straight inside the list of chosen items.
      container.querySelectorAll("ul.select2-selection__rendered > .select2-selection__clear")
        .forEach(function (cross) { cross.setAttribute("role", "listitem"); });
    });
  }

  function nameInlineFields() {
    document.querySelectorAll(".tabular td input, .tabular td select, .tabular td textarea")
      .forEach(function (field) {
        if (field.type === "hidden" || field.labels.length || field.getAttribute("aria-label")) {
          return;
        }
        const heading = columnHeading(field);
        if (heading) field.setAttribute("aria-label", heading);
      });
  }

  function nameEverything() {
    nameAutocompletes();
    nameInlineFields();
  }

  window.addEventListener("load", function () {
    nameEverything();
    // Select2 redraws its boxes on every choice, and "Add another" adds inline rows.
    new MutationObserver(nameEverything).observe(document.getElementById("content") || document.body,
      {childList: true, subtree: true});
  });
})();
