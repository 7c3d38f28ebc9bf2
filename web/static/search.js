// Progressive enhancement of the search and facet pages; without it they still work.
(function () {
  "use strict";

  // The "Filters" disclosure: closed on narrow screens (the results come first), open
  // on wide ones. style.css already shows the facets on wide screens in browsers that
  // can style a closed <details>; this opens it for the others.
  var filters = document.getElementById("filters");
  if (filters && window.matchMedia) {
    var wide = window.matchMedia("(min-width: 801px)");
    if (wide.matches) {
      filters.open = true;
    }
    var follow = function () { filters.open = wide.matches; };
    if (wide.addEventListener) {
      wide.addEventListener("change", follow);
    }
  }

  // "Back to search" on a document page returns to the search it was opened from, with
  // its query and filters: the referrer, used only when it is this site's search page.
  var back = document.querySelector("a[data-back-to-search]");
  if (back && document.referrer && window.URL) {
    var from = new URL(document.referrer, window.location.href);
    var root = new URL(back.href).pathname.replace(/search$/, "");   // "/" or "/prefix/"
    if (from.origin === window.location.origin &&
        (from.pathname === root || from.pathname === root + "search")) {
      back.href = from.pathname + from.search;
    }
  }

  // Filter boxes: a facet's long list shrinks to the values holding what is typed,
  // ignoring case and accents ("cote" finds "Côte d'Ivoire").
  function fold(text) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function attach(input, items, status) {
    var total = items.length;
    input.addEventListener("input", function () {
      var wanted = fold(input.value.trim());
      var shown = 0;
      items.forEach(function (li) {
        var value = li.querySelector(".value");
        var match = !wanted || fold(value ? value.textContent : li.textContent).indexOf(wanted) >= 0;
        li.hidden = !match;
        if (match) { shown += 1; }
      });
      if (status) {
        status.textContent = wanted ? shown + " of " + total + " values shown." : "";
      }
    });
  }

  // On a facet's own page the box is in the HTML (it also filters on the server).
  document.querySelectorAll("input[data-filters]").forEach(function (input) {
    var list = document.getElementById(input.getAttribute("data-filters"));
    var status = document.getElementById(input.getAttribute("data-status"));
    if (list) {
      attach(input, Array.prototype.slice.call(list.querySelectorAll("li")), status);
    }
  });

  // In the sidebar, a facet with "More…" gets a box, under its name, filtering all its values.
  document.querySelectorAll(".facet details.more").forEach(function (more, i) {
    var facet = more.closest(".facet");
    var heading = facet.querySelector("h2");
    var input = document.createElement("input");
    input.type = "search";
    input.className = "value-filter-box";
    input.id = "value-filter-" + i;
    input.setAttribute("autocomplete", "off");
    input.setAttribute("aria-label", "Filter " + (heading ? heading.textContent : "") + " values");
    input.placeholder = "Filter values…";
    var status = document.createElement("p");
    status.className = "values-shown";
    status.setAttribute("role", "status");
    (heading || more).insertAdjacentElement("afterend", input);
    input.insertAdjacentElement("afterend", status);
    attach(input, Array.prototype.slice.call(facet.querySelectorAll("li")), status);
    // Typing means looking among all values: show the ones behind "More…" too.
    input.addEventListener("input", function () { if (input.value) { more.open = true; } });
  });
}());
