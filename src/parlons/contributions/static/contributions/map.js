/* Parlons map: tiles from the organisation's tile server, numbered markers linking to
   the places of the list beside it, zoom buttons; on a form, a click sets the point.
   Loaded only when a tile URL is configured; the list works without it. */
(function () {
  "use strict";
  var TILE = 256;

  function world(z) { return TILE * Math.pow(2, z); }

  function project(lat, lon, z) {
    var size = world(z), rad = lat * Math.PI / 180;
    return [(lon + 180) / 360 * size,
            (1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2 * size];
  }

  function unproject(x, y, z) {
    var size = world(z), n = Math.PI * (1 - 2 * y / size);
    return [Math.atan(Math.sinh(n)) * 180 / Math.PI, x / size * 360 - 180];
  }

  function fit(points, width, height) {
    for (var z = 17; z > 2; z--) {
      var xs = [], ys = [];
      points.forEach(function (p) { var q = project(p.lat, p.lon, z); xs.push(q[0]); ys.push(q[1]); });
      if (Math.max.apply(null, xs) - Math.min.apply(null, xs) < width - 60 &&
          Math.max.apply(null, ys) - Math.min.apply(null, ys) < height - 60) { return z; }
    }
    return 2;
  }

  function button(text, label) {
    var b = document.createElement("button");
    b.type = "button"; b.className = "map-zoom small secondary"; b.textContent = text;
    b.setAttribute("aria-label", label);
    return b;
  }

  function init(el) {
    var points = JSON.parse(el.getAttribute("data-points") || "[]");
    var tiles = el.getAttribute("data-tiles").replace("{s}", "a");
    var latInput = document.getElementById(el.getAttribute("data-picker-lat") || "");
    var lonInput = document.getElementById(el.getAttribute("data-picker-lon") || "");
    var centre = (el.getAttribute("data-center") || "").split(",").map(Number);
    var width = el.clientWidth || 600, height = el.clientHeight || 360;
    var z = points.length ? fit(points, width, height) : 13;
    var mid;
    if (points.length) {
      var lat = 0, lon = 0;
      points.forEach(function (p) { lat += p.lat; lon += p.lon; });
      mid = [lat / points.length, lon / points.length];
    } else if (centre.length === 2 && !isNaN(centre[0])) {
      mid = centre;
    } else { mid = [46.5, 2.5]; z = 5; }
    var pane = document.createElement("div");
    pane.className = "map-pane";
    el.appendChild(pane);
    el.setAttribute("role", "region");
    el.setAttribute("aria-label", el.getAttribute("data-label") || "Map");

    function place(node, x, y, left, top) {
      node.style.left = (x - left) + "px";
      node.style.top = (y - top) + "px";
    }

    function render() {
      pane.textContent = "";
      var c = project(mid[0], mid[1], z), left = c[0] - width / 2, top = c[1] - height / 2;
      var count = Math.pow(2, z);
      for (var tx = Math.floor(left / TILE); tx <= Math.floor((left + width) / TILE); tx++) {
        for (var ty = Math.floor(top / TILE); ty <= Math.floor((top + height) / TILE); ty++) {
          if (ty < 0 || ty >= count) { continue; }
          var img = document.createElement("img");
          img.alt = ""; img.className = "map-tile"; img.width = TILE; img.height = TILE;
          img.src = tiles.replace("{z}", z).replace("{x}", ((tx % count) + count) % count).replace("{y}", ty);
          place(img, tx * TILE, ty * TILE, left, top);
          pane.appendChild(img);
        }
      }
      points.forEach(function (p) {
        var q = project(p.lat, p.lon, z), marker = document.createElement(p.url ? "a" : "span");
        marker.className = "map-marker"; marker.textContent = p.n || "•";
        if (p.url) { marker.href = p.url; marker.setAttribute("aria-label", p.label); }
        place(marker, q[0], q[1], left, top);
        pane.appendChild(marker);
      });
    }

    var zoomIn = button("+", el.getAttribute("data-zoom-in") || "Zoom in");
    var zoomOut = button("\u2212", el.getAttribute("data-zoom-out") || "Zoom out");
    zoomIn.addEventListener("click", function () { z = Math.min(z + 1, 18); render(); });
    zoomOut.addEventListener("click", function () { z = Math.max(z - 1, 2); render(); });
    var tools = document.createElement("div");
    tools.className = "map-tools";
    tools.appendChild(zoomIn); tools.appendChild(zoomOut);
    el.appendChild(tools);

    if (latInput && lonInput) {
      pane.addEventListener("click", function (event) {
        var box = pane.getBoundingClientRect(), c = project(mid[0], mid[1], z);
        var x = c[0] - width / 2 + (event.clientX - box.left), y = c[1] - height / 2 + (event.clientY - box.top);
        var picked = unproject(x, y, z);
        latInput.value = picked[0].toFixed(6); lonInput.value = picked[1].toFixed(6);
        points = [{ n: "", label: "", url: "", lat: picked[0], lon: picked[1] }];
        mid = picked; render();
      });
    }
    render();
  }

  document.querySelectorAll("[data-map]").forEach(init);
})();
