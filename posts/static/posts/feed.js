// The feed without full reloads: "Ältere laden" appends the next page in place, and a hint
// shows how many new posts arrived. Without JavaScript both are plain links / a reload.
(function () {
  "use strict";
  function bindMore(root) {
    var more = root.querySelector("[data-feed-more] a");
    if (!more) return;
    more.addEventListener("click", function (event) {
      event.preventDefault();
      var url = new URL(more.href, window.location.href);
      url.searchParams.set("teil", "1");
      more.setAttribute("aria-busy", "true");
      fetch(url, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
        .then(function (response) { if (!response.ok) throw new Error(response.status); return response.text(); })
        .then(function (html) {
          var holder = document.createElement("div");
          holder.innerHTML = html;
          var list = document.querySelector("[data-feed-page]");
          var items = holder.querySelectorAll("[data-feed-page] > li");
          var first = null;
          items.forEach(function (item) { if (!first) first = item; list.appendChild(item); });
          var paragraph = more.closest("[data-feed-more]");
          var next = holder.querySelector("[data-feed-more]");
          if (next) { paragraph.replaceWith(next); bindMore(document); } else { paragraph.remove(); }
          if (first) { var link = first.querySelector("a"); if (link) link.focus(); }
        })
        .catch(function () { window.location.href = more.href; });
    });
  }
  function pollNew() {
    var hint = document.querySelector("[data-new-url]");
    if (!hint) return;
    var check = function () {
      if (document.hidden) return;
      fetch(hint.getAttribute("data-new-url"), { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.text() : ""; })
        .then(function (html) { if (html.trim() !== hint.innerHTML.trim()) hint.innerHTML = html; })
        .catch(function () {});
    };
    window.setInterval(check, 60000);
    hint.addEventListener("click", function (event) {
      if (event.target.closest("a")) { event.preventDefault(); window.location.reload(); }
    });
  }
  document.addEventListener("DOMContentLoaded", function () { bindMore(document); pollNew(); });
})();
