// Live running total on the ballot (the server checks every limit again; without
// JavaScript the total shows after submitting).
(function () {
  "use strict";
  var form = document.querySelector("form[data-ballot]");
  if (!form) return;
  var kind = form.dataset.ballot;
  var output = document.getElementById("ballot-total");
  var over = document.getElementById("ballot-over");
  if (!output) return;
  var limit = parseInt(form.dataset.limit || "0", 10);
  var points = parseInt(form.dataset.points || "0", 10);
  var format = new Intl.NumberFormat(document.documentElement.lang || undefined);
  function update() {
    var total = 0;
    var exceeded = false;
    if (kind === "cumulative") {
      form.querySelectorAll("input[type=number]").forEach(function (input) {
        total += parseInt(input.value || "0", 10) || 0;
      });
      exceeded = total > points;
    } else {
      form.querySelectorAll("input[type=checkbox]:checked").forEach(function (input) {
        total += parseInt(input.dataset.cost || "0", 10);
      });
      exceeded = limit > 0 && total > limit;
    }
    output.textContent = format.format(total);
    if (over) over.hidden = !exceeded;
  }
  form.addEventListener("input", update);
  form.addEventListener("change", update);
  update();
})();
