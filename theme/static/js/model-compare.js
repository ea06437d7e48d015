/* The models comparison (/models/): an enhancement of the one generated
   table. Adds "compare two models": two selects choose the models, and the
   other models' columns are hidden, so on a phone both columns fit beside
   the questions. A button switches back to every model. The view starts
   with two models on a narrow screen and with all of them on a wide one;
   each change is announced. Started from data-module="app-model-compare". */
(function () {
  "use strict";
  var root = document.querySelector('[data-module="app-model-compare"]');
  if (!root) { return; }
  var table = root.querySelector("table");
  var headings = Array.prototype.slice.call(table.querySelectorAll("thead th[data-model]"));
  if (headings.length < 3) { return; } // two models or fewer: they are compared already
  var narrow = window.matchMedia && window.matchMedia("(max-width: 47.99rem)").matches;
  var names = headings.map(function (th) { return th.textContent.trim(); });
  var controls, selects = [], toggle, status, both = !!narrow;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function chooser(id, label, chosen) {
    var field = el("div", "app-compare__field");
    var text = el("label", "app-label-text", label);
    text.htmlFor = id;
    var select = el("select", "app-select");
    select.id = id;
    names.forEach(function (name, i) {
      var option = el("option", null, name);
      option.value = String(i);
      option.selected = i === chosen;
      select.appendChild(option);
    });
    select.addEventListener("change", function () { show(true); });
    field.appendChild(text);
    field.appendChild(select);
    selects.push(select);
    return field;
  }

  /* Cell i + 1 of each row is model i's (the first is the row's question). */
  function show(announce) {
    var first = Number(selects[0].value), second = Number(selects[1].value);
    var shown = names.map(function (_, i) { return !both || i === first || i === second; });
    Array.prototype.forEach.call(table.rows, function (row) {
      for (var i = 0; i < names.length; i++) {
        var cell = row.cells[i + 1];
        if (cell) { cell.hidden = !shown[i]; }
      }
    });
    table.classList.toggle("app-table--two", both);
    controls.classList.toggle("app-compare__controls--all", !both);
    toggle.textContent = both ? "Show all " + names.length + " models" : "Compare two models";
    if (announce) {
      status.textContent = both ? "Showing " + names[first] + (first === second ? "" : " and " + names[second]) + "." :
        "Showing all " + names.length + " models.";
    }
  }

  controls = el("div", "app-compare__controls");
  var choose = el("div", "app-compare__choose");
  choose.appendChild(chooser("compare-first", "First model", 0));
  choose.appendChild(chooser("compare-second", "Second model", 1));
  controls.appendChild(choose);
  toggle = el("button", "app-button app-button--secondary app-compare__toggle");
  toggle.type = "button";
  toggle.addEventListener("click", function () {
    both = !both;
    show(true);
  });
  controls.appendChild(toggle);
  status = el("p", "app-visually-hidden");
  status.setAttribute("role", "status");
  controls.appendChild(status);
  root.insertBefore(controls, root.firstChild);
  show(false);
}());
