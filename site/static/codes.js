// Filter the rows of a code list page as the reader types (the page works without it).
(function () {
  "use strict";
  var box = document.querySelector("[data-code-filter]");
  var table = document.getElementById("codes-table");
  if (!box || !table) { return; }
  box.hidden = false;
  var input = box.querySelector("input");
  var status = box.querySelector("[data-code-count]");
  var rows = Array.prototype.slice.call(table.tBodies[0].rows);
  function fold(s) { return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase(); }
  var texts = rows.map(function (r) { return fold(r.textContent); });
  input.addEventListener("input", function () {
    var q = fold(input.value.trim());
    var shown = 0;
    rows.forEach(function (r, i) {
      var hit = !q || texts[i].indexOf(q) !== -1;
      r.hidden = !hit;
      if (hit) { shown += 1; }
    });
    status.textContent = q ? shown + " / " + rows.length : "";
  });
})();
