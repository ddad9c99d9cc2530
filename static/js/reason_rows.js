// Rejection reasons: add and remove rows of a Django formset without a page load.
// Markup: a container [data-formset="<prefix>"] holding rows [data-formset-row], a
// <template data-formset-empty> with the empty form (__prefix__ for the index), an
// [data-formset-add] button, and a [data-formset-remove] button in each row.
(function () {
  "use strict";

  function renumber(container, prefix) {
    var rows = container.querySelectorAll("[data-formset-row]");
    var pattern = new RegExp(prefix + "-(\\d+|__prefix__)-", "g");
    rows.forEach(function (row, index) {
      row.querySelectorAll("[name], [id], [for], [aria-describedby]").forEach(function (el) {
        ["name", "id", "for", "aria-describedby"].forEach(function (attr) {
          var value = el.getAttribute(attr);
          if (value) el.setAttribute(attr, value.replace(pattern, prefix + "-" + index + "-"));
        });
      });
      var number = row.querySelector("[data-formset-number]");
      if (number) number.textContent = String(index + 1);
      var remove = row.querySelector("[data-formset-remove]");
      if (remove) remove.hidden = rows.length <= 1;
    });
    var total = container.querySelector("input[name='" + prefix + "-TOTAL_FORMS']");
    if (total) total.value = String(rows.length);
    var max = container.querySelector("input[name='" + prefix + "-MAX_NUM_FORMS']");
    var add = container.querySelector("[data-formset-add]");
    if (add && max) add.disabled = rows.length >= parseInt(max.value, 10);
  }

  function setUp(container) {
    var prefix = container.getAttribute("data-formset");
    var list = container.querySelector("[data-formset-rows]");
    var empty = container.querySelector("template[data-formset-empty]");
    var add = container.querySelector("[data-formset-add]");
    if (!prefix || !list || !empty || !add) return;
    add.hidden = false;
    add.addEventListener("click", function () {
      var row = empty.content.firstElementChild.cloneNode(true);
      list.appendChild(row);
      renumber(container, prefix);
      var first = row.querySelector("select, input, textarea");
      if (first) first.focus();
    });
    container.addEventListener("click", function (event) {
      var button = event.target.closest("[data-formset-remove]");
      if (!button) return;
      var row = button.closest("[data-formset-row]");
      if (row && list.querySelectorAll("[data-formset-row]").length > 1) {
        row.remove();
        renumber(container, prefix);
        add.focus();
      }
    });
    renumber(container, prefix);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-formset]").forEach(setUp);
  });
})();
