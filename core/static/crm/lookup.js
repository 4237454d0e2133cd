// Search-as-you-type: progressive enhancement of a <select> (the quick meeting form) or a
// text box of record ids (the lists' filters, core.filters.LookupInput) carrying
// data-lookup-url. Without this file the plain fields work. No inline code (CSP).
"use strict";

(() => {
  const DELAY_MS = 150;

  function optionFor(select, id, label) {
    let option = Array.from(select.options).find((o) => o.value === String(id));
    if (!option) {
      option = new Option(label, id);
      select.add(option);
    }
    return option;
  }

  // Asks `url` for `q` after a short pause; `show` gets the results of the latest question.
  // An empty `q` only cancels the question pending.
  function searcher(url, extra, show) {
    let timer = null;
    let latest = 0;
    return (q) => {
      clearTimeout(timer);
      if (!q) return;
      timer = setTimeout(async () => {
        const address = new URL(url, window.location.href);
        address.searchParams.set("q", q);
        Object.entries(extra()).forEach(([key, value]) => address.searchParams.set(key, value));
        const asked = ++latest;
        const response = await fetch(address, { headers: { Accept: "application/json" } });
        if (!response.ok || asked !== latest) return;
        show((await response.json()).results);
      }, DELAY_MS);
    };
  }

  function resultList(results, items, noMatch, choose) {
    results.replaceChildren(
      ...items.map((item) => {
        const li = document.createElement("li");
        li.setAttribute("role", "option");
        const button = document.createElement("button");
        button.type = "button";
        button.textContent = item.label;
        button.addEventListener("click", () => choose(item.id, item.label));
        li.append(button);
        return li;
      }),
    );
    if (!items.length) {
      const li = document.createElement("li");
      li.className = "muted";
      li.textContent = noMatch || "";
      results.append(li);
    }
    results.hidden = false;
  }

  function searchBox(field) {
    const input = document.createElement("input");
    input.type = "search";
    input.autocomplete = "off";
    input.id = `${field.id}-search`;
    input.className = "lookup-input";
    input.placeholder = field.dataset.placeholder || "";
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    const described = field.getAttribute("aria-describedby");
    if (described) input.setAttribute("aria-describedby", described);
    const results = document.createElement("ul");
    results.id = `${field.id}-results`;
    results.className = "lookup-results";
    results.setAttribute("role", "listbox");
    results.hidden = true;
    input.setAttribute("aria-controls", results.id);
    const label = document.querySelector(`label[for="${field.id}"]`);
    if (label) label.htmlFor = input.id;
    input.addEventListener("keydown", (event) => {
      if (event.key === "Escape") results.hidden = true;
      if (event.key === "Enter" && !results.hidden) {
        event.preventDefault();
        const first = results.querySelector("button");
        if (first) first.click();
      }
    });
    return { input, results };
  }

  function chips(list, items, removeLabel, remove) {
    list.replaceChildren(
      ...items.map((item) => {
        const li = document.createElement("li");
        li.textContent = item.label;
        const button = document.createElement("button");
        button.type = "button";
        button.className = "remove";
        button.textContent = "×";
        button.setAttribute("aria-label", `${removeLabel || "Remove"} ${item.label}`);
        button.addEventListener("click", () => remove(item));
        li.append(button);
        return li;
      }),
    );
  }

  // A text box of ids becomes a hidden field behind a search box (and, when several may be
  // chosen, the list of those chosen).
  function enhanceIds(field) {
    const multiple = field.dataset.multiple === "1";
    let chosen = JSON.parse(field.dataset.lookupChosen || "[]");
    const { input, results } = searchBox(field);
    const list = document.createElement("ul");
    list.className = "lookup-chosen";
    field.type = "hidden";
    field.after(input, results, ...(multiple ? [list] : []));

    function update() {
      field.value = chosen.map((item) => item.id).join(",");
      if (multiple) {
        chips(list, chosen, field.dataset.removeLabel, (item) => {
          chosen = chosen.filter((other) => other !== item);
          update();
        });
      } else {
        input.value = chosen.length ? chosen[0].label : "";
      }
    }

    function choose(id, label) {
      const item = { id, label };
      chosen = multiple ? [...chosen.filter((other) => other.id !== id), item] : [item];
      if (multiple) input.value = "";
      results.hidden = true;
      input.setAttribute("aria-expanded", "false");
      update();
    }

    const ask = searcher(field.dataset.lookupUrl, () => ({}), (items) => {
      resultList(results, items, field.dataset.noMatch, choose);
      input.setAttribute("aria-expanded", "true");
    });
    input.addEventListener("input", () => {
      const q = input.value.trim();
      if (!multiple) {
        chosen = [];  // nothing is chosen until a result is
        field.value = "";
      }
      ask(q);
      if (!q) results.hidden = true;
    });
    update();
  }

  // A <select> (the quick meeting form) hides behind a search box; the option picked is
  // added to it when the page did not carry it (core.filters.ChosenOnlySelect).
  function enhance(select) {
    const multiple = select.multiple;
    const { input, results } = searchBox(select);
    const list = document.createElement("ul");
    list.className = "lookup-chosen";
    select.hidden = true;
    select.after(input, results, ...(multiple ? [list] : []));

    function showChosen() {
      if (!multiple) {
        const option = select.selectedOptions[0];
        input.value = option && option.value ? option.text : "";
        return;
      }
      const items = Array.from(select.selectedOptions).map((option) => ({
        label: option.text,
        option,
      }));
      chips(list, items, select.dataset.removeLabel, (item) => {
        item.option.selected = false;
        showChosen();
      });
    }

    function choose(id, text) {
      const option = optionFor(select, id, text);
      if (multiple) {
        option.selected = true;
        input.value = "";
      } else {
        select.value = option.value;
      }
      results.hidden = true;
      input.setAttribute("aria-expanded", "false");
      showChosen();
      select.dispatchEvent(new Event("change", { bubbles: true }));
    }

    // People met are looked for at the organisation chosen above, when there is one.
    const narrowing = () => {
      const organisation = document.getElementById("id_organisation");
      return select.dataset.narrowToOrganisation && organisation && organisation.value
        ? { organisation: organisation.value }
        : {};
    };
    const ask = searcher(select.dataset.lookupUrl, narrowing, (items) => {
      resultList(results, items, select.dataset.noMatch, choose);
      input.setAttribute("aria-expanded", "true");
    });
    input.addEventListener("input", () => {
      const q = input.value.trim();
      ask(q);
      if (!q) {
        results.hidden = true;
        if (!multiple) select.value = "";
      }
    });
    showChosen();
  }

  function newPeopleRows() {
    const rows = Array.from(document.querySelectorAll("[data-new-person]"));
    const add = document.querySelector("button.add-person");
    if (!rows.length || !add) return;
    const filled = (row) => Array.from(row.querySelectorAll("input")).some((i) => i.value);
    let shown = Math.max(1, rows.filter(filled).length);
    rows.forEach((row, index) => {
      row.hidden = index >= shown && !row.querySelector(".errorlist");
    });
    add.hidden = shown >= rows.length;
    add.addEventListener("click", () => {
      const next = rows.find((row) => row.hidden);
      if (next) {
        next.hidden = false;
        next.querySelector("input").focus();
      }
      add.hidden = !rows.some((row) => row.hidden);
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("select[data-lookup-url]").forEach(enhance);
    document.querySelectorAll("input[data-lookup-url]").forEach(enhanceIds);
    newPeopleRows();
  });
})();
