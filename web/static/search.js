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

  // Suggestions as one types (/api/suggest), a combobox as WAI-ARIA 1.2 describes it:
  // the input keeps the focus, the arrows move through a listbox (aria-activedescendant),
  // Enter or a click picks, Escape closes. A theme, region or objective applies its
  // filter; any other suggestion is searched for. Without script the box is a plain
  // search field.
  var SUGGEST_DELAY = 150;   // ms after the last keystroke
  var MIN_CHARS = 2;

  function combobox(input) {
    var form = input.form;
    var listbox = document.createElement("ul");
    var status = document.createElement("p");
    var options = [];     // the suggestions shown, as /api/suggest gave them
    var active = -1;      // the option under the arrow keys, -1: none
    var timer = null;
    var asked = 0;        // answers to earlier keystrokes are ignored
    var controller = null;
    var lang = document.documentElement.lang || "en";

    listbox.id = input.id + "-suggestions";
    listbox.className = "suggestions";
    listbox.setAttribute("role", "listbox");
    if (input.labels && input.labels.length) {
      if (!input.labels[0].id) { input.labels[0].id = input.id + "-label"; }
      listbox.setAttribute("aria-labelledby", input.labels[0].id);
    }
    listbox.hidden = true;
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    input.insertAdjacentElement("afterend", listbox);
    listbox.insertAdjacentElement("afterend", status);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listbox.id);
    input.setAttribute("autocomplete", "off");

    function close() {
      clearTimeout(timer);
      listbox.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function activate(i) {
      if (active >= 0) { listbox.children[active].setAttribute("aria-selected", "false"); }
      active = i;
      if (i < 0) {
        input.removeAttribute("aria-activedescendant");
        return;
      }
      var li = listbox.children[i];
      li.setAttribute("aria-selected", "true");
      input.setAttribute("aria-activedescendant", li.id);
      li.scrollIntoView({block: "nearest"});
    }

    function show(found) {
      options = found;
      listbox.textContent = "";
      active = -1;
      input.removeAttribute("aria-activedescendant");
      found.forEach(function (s, i) {
        var li = document.createElement("li");
        li.id = listbox.id + "-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        var text = document.createElement("span");
        text.className = "text";
        text.textContent = s.text;
        li.appendChild(text);
        var kind = input.getAttribute("data-kind-" + s.kind);
        if (kind && s.filter) {
          var tag = document.createElement("span");
          tag.className = "kind";
          tag.textContent = kind;
          li.appendChild(tag);
        }
        listbox.appendChild(li);
      });
      if (found.length) {
        listbox.hidden = false;
        input.setAttribute("aria-expanded", "true");
        var count = window.Intl ? new Intl.NumberFormat(lang).format(found.length) : found.length;
        status.textContent = (input.getAttribute("data-suggest-status") || "{count}")
          .replace("{count}", count);
      } else {
        close();
        status.textContent = "";
      }
    }

    function ask(typed) {
      var mine = ++asked;
      if (controller) { controller.abort(); }
      controller = window.AbortController ? new AbortController() : null;
      var url = input.getAttribute("data-suggest") + "?q=" + encodeURIComponent(typed) +
        "&lang=" + encodeURIComponent(lang);
      fetch(url, {headers: {"Accept": "application/json"},
                  signal: controller ? controller.signal : undefined})
        .then(function (r) { return r.ok ? r.json() : {suggestions: []}; })
        .then(function (data) {
          if (mine === asked && input.value.trim() === typed &&
              document.activeElement === input) {
            show(data.suggestions || []);
          }
        })
        .catch(function () { /* aborted, or offline: the search still works */ });
    }

    function pick(i) {
      var s = options[i];
      var params = new URLSearchParams(new FormData(form));
      if (s.filter) {
        params.delete("q");
        if (params.getAll(s.filter.name).indexOf(s.filter.value) < 0) {
          params.append(s.filter.name, s.filter.value);
        }
        input.value = "";
      } else {
        params.set("q", s.text);
        input.value = s.text;
      }
      close();
      window.location.assign(form.action.split("?")[0] + "?" + params.toString());
    }

    input.addEventListener("input", function (event) {
      clearTimeout(timer);
      asked++;          // whatever was asked before no longer fits
      if (event.isComposing) { return; }     // an input method is still at work
      var typed = input.value.trim();
      if (typed.length < MIN_CHARS) {
        close();
        options = [];
        status.textContent = "";
        return;
      }
      timer = setTimeout(function () { ask(typed); }, SUGGEST_DELAY);
    });
    input.addEventListener("compositionend", function () {
      input.dispatchEvent(new Event("input"));
    });

    input.addEventListener("keydown", function (event) {
      if (event.isComposing) { return; }
      var open = !listbox.hidden;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (!options.length) { return; }
        event.preventDefault();
        if (!open) {
          listbox.hidden = false;
          input.setAttribute("aria-expanded", "true");
        }
        var n = options.length;
        // -1 (the text as typed) and the options, in a ring
        var next = event.key === "ArrowDown" ? active + 1 : active - 1;
        if (next >= n) { next = -1; } else if (next < -1) { next = n - 1; }
        activate(next);
      } else if (event.key === "Enter" && open && active >= 0) {
        event.preventDefault();
        pick(active);
      } else if (event.key === "Escape" && open) {
        event.preventDefault();     // the text stays (a search field would clear it)
        close();
      } else if (event.key === "Tab") {
        close();
      }
    });

    // mousedown would move the focus out of the input before the click picks
    listbox.addEventListener("mousedown", function (event) { event.preventDefault(); });
    listbox.addEventListener("click", function (event) {
      var li = event.target.closest("[role=option]");
      if (li) { pick(Array.prototype.indexOf.call(listbox.children, li)); }
    });
    input.addEventListener("blur", close);
    form.addEventListener("submit", close);
  }

  if (window.fetch && window.URLSearchParams && window.FormData) {
    document.querySelectorAll("input[data-suggest]").forEach(combobox);
  }
}());
