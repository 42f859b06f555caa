// As-you-type suggestions for the header search box: the ARIA 1.2 combobox pattern with a
// listbox popup. Without JavaScript the box is a plain search form.
(function () {
  "use strict";
  var input = document.getElementById("site-search-q");
  var list = document.getElementById("site-search-suggestions");
  if (!input || !list || !window.fetch || !window.WissensnetzListbox) return;
  var url = input.getAttribute("data-suggest-url");
  var box = window.WissensnetzListbox(input, list);
  var timer = null;
  var lastQuery = "";
  var controller = null;

  function render(results) {
    box.clear();
    if (!results.length) { box.close(); return; }
    results.forEach(function (row, i) {
      var li = document.createElement("li");
      li.id = "site-search-option-" + i;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      li.className = "search-suggest__option";
      li.setAttribute("data-url", row.url);
      li.appendChild(document.createTextNode(row.label));
      var type = document.createElement("span");
      type.className = "search-suggest__type";
      type.textContent = "(" + row.type_label + ")";
      li.appendChild(type);
      li.addEventListener("mousedown", function (event) { event.preventDefault(); window.location.href = row.url; });
      list.appendChild(li);
    });
    box.show();
  }

  function fetchSuggestions() {
    var q = input.value.trim();
    if (q === lastQuery) return;
    lastQuery = q;
    if (q.length < 2) { box.close(); return; }
    if (controller) controller.abort();
    controller = window.AbortController ? new AbortController() : null;
    fetch(url + "?q=" + encodeURIComponent(q), {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
      signal: controller ? controller.signal : undefined
    })
      .then(function (response) { return response.ok ? response.json() : { results: [] }; })
      .then(function (data) { if (input.value.trim() === q) render(data.results || []); })
      .catch(function () {});
  }

  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(fetchSuggestions, 200);
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown") {
      if (list.hidden) { lastQuery = ""; fetchSuggestions(); return; }
      event.preventDefault(); box.select(box.active + 1);
    } else if (event.key === "ArrowUp") {
      if (!list.hidden) { event.preventDefault(); box.select(box.active - 1); }
    } else if (event.key === "Enter") {
      var chosen = list.hidden ? null : box.current();
      if (chosen) {
        event.preventDefault();
        window.location.href = chosen.getAttribute("data-url");
      }
    } else if (event.key === "Escape") {
      if (!list.hidden) { event.preventDefault(); box.close(); }
    }
  });
  input.addEventListener("blur", function () { window.setTimeout(box.close, 150); });
})();
