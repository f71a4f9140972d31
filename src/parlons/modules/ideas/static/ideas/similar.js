/* "Similar ideas" while typing a title: asks the same site for the best matches and lists
   them under the field.  Without this script, the Preview button shows the same list. */
(function () {
  "use strict";
  var input = document.querySelector("[data-similar=title]");
  var box = document.getElementById("similar-ideas");
  if (!input || !box || !window.fetch) { return; }
  var timer = null, last = "";

  function show(ideas) {
    box.textContent = "";
    if (!ideas.length) { return; }
    var heading = document.createElement("p");
    heading.className = "similar-heading";
    heading.textContent = box.getAttribute("data-heading");
    var list = document.createElement("ul");
    list.className = "list";
    ideas.forEach(function (idea) {
      var item = document.createElement("li"), link = document.createElement("a");
      link.href = idea.url; link.textContent = idea.title;
      item.appendChild(link); list.appendChild(item);
    });
    box.appendChild(heading); box.appendChild(list);
  }

  function ask() {
    var title = input.value.trim();
    if (title === last) { return; }
    last = title;
    if (title.length < 4) { show([]); return; }
    var url = box.getAttribute("data-url") + "?title=" + encodeURIComponent(title);
    fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : { ideas: [] }; })
      .then(function (data) { if (input.value.trim() === title) { show(data.ideas || []); } })
      .catch(function () { show([]); });
  }

  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(ask, 300);
  });
})();
