// Django's admin as a page of this product (WCAG 2.1 AA). The admin's own markup leaves some
// controls without a name (the rows of inline tables and editable lists, the date and time of a
// date-time field, an autocomplete box in a new row), leaves some table headers empty, and puts
// aria-label on a span without a role (the filter icon of a two-list selector). Name them after
// what sighted users see beside them; run once the page has loaded (after the admin's own
// scripts) and for every inline row added.
(() => {
  "use strict";

  const hasName = (control) =>
    (control.labels && control.labels.length > 0) ||
    control.getAttribute("aria-label") ||
    control.getAttribute("aria-labelledby") ||
    control.getAttribute("title");

  const text = (node) => (node ? node.textContent.replace(/\s+/g, " ").trim() : "");
  const withoutColon = (value) => value.replace(/:$/, "").trim();

  function columnHeader(cell) {
    const table = cell.closest("table");
    const row = table && table.tHead && table.tHead.rows[0];
    return row && row.cells[cell.cellIndex] ? text(row.cells[cell.cellIndex]) : "";
  }

  function rowName(cell) {
    // an editable list names its rows in a <th> (the first column); an inline row by its object
    const row = cell.parentElement;
    const heading = row.querySelector("th");
    if (heading && heading !== cell) return text(heading);
    return text(row.querySelector("td.original p"));
  }

  function dateTimeName(control) {
    const field = text(control.closest(".form-row")?.querySelector("label"));
    let part = control.previousSibling;
    while (part && part.nodeType !== Node.TEXT_NODE) part = part.previousSibling;
    const which = withoutColon(text(part));
    return [withoutColon(field), which.toLowerCase()].filter(Boolean).join(", ");
  }

  function nameControls(root) {
    root.querySelectorAll("input:not([type=hidden]), select, textarea").forEach((control) => {
      if (hasName(control)) return;
      let name = "";
      const cell = control.closest("td");
      if (control.closest("p.datetime")) {
        name = dateTimeName(control);
      } else if (cell) {
        name = [columnHeader(cell), rowName(cell)].filter(Boolean).join(", ");
      }
      if (name) control.setAttribute("aria-label", name);
    });
    root.querySelectorAll("table thead th").forEach((header) => {
      if (text(header)) return;
      const hidden = document.createElement("span");
      hidden.className = "visually-hidden";
      hidden.textContent = header.classList.contains("original")
        ? text(header.closest("fieldset")?.querySelector(".inline-heading"))
        : window.gettext ? window.gettext("Remove") : "Remove";
      header.append(hidden);
    });
    root.querySelectorAll("span[aria-label]:not([role])").forEach((span) => {
      span.setAttribute("role", "img");
    });
    // an autocomplete (select2) box is named by its text, empty in a new row: give it the name
    // of the select it stands for
    root.querySelectorAll("select.admin-autocomplete[aria-label]").forEach((select) => {
      const box = document.getElementById(`select2-${select.id}-container`);
      if (box) box.setAttribute("aria-label", select.getAttribute("aria-label"));
    });
  }

  window.addEventListener("load", () => nameControls(document));
  document.addEventListener("formset:added", (event) => nameControls(event.target));
})();
