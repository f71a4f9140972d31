// The live count: every few seconds, read the petition's count file (written by the
// batch count, served by granian or a CDN) and update the number, the noun and the
// progress bar.  The number sits in an aria-live="polite" region.
(function () {
  "use strict";
  var box = document.querySelector(".petition-progress[data-live-count]");
  if (!box || !window.fetch) return;
  var url = box.dataset.liveCount;
  var every = Math.max(0.2, parseFloat(box.dataset.liveEvery) || 10) * 1000;
  var lang = document.documentElement.lang || undefined;
  var numbers = new Intl.NumberFormat(lang);
  var plurals = new Intl.PluralRules(lang);
  var number = box.querySelector(".petition-count strong");
  var noun = box.querySelector(".petition-count-noun");
  var bar = box.querySelector("progress");
  var goal = parseInt(box.dataset.goal || "0", 10);
  var shown = null;

  function show(count) {
    if (count === shown) return;
    shown = count;
    number.textContent = numbers.format(count);
    if (noun) {
      noun.textContent = plurals.select(count) === "one" ? box.dataset.one : box.dataset.other;
    }
    if (bar && goal) {
      var percent = Math.min(100, Math.floor((count * 100) / goal));
      bar.value = percent;
      bar.textContent = percent + "%";
      bar.setAttribute("aria-label", box.dataset.percentLabel.replace("{percent}", percent));
    }
  }

  function poll() {
    fetch(url, { credentials: "omit" })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (data) {
        if (data && typeof data.count === "number") show(data.count);
      })
      .catch(function () {})
      .then(function () {
        window.setTimeout(poll, every);
      });
  }

  window.setTimeout(poll, every);
})();
