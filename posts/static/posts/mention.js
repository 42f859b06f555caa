// As-you-type @mention suggestions in the post and reply boxes: the ARIA 1.2 combobox pattern
// (the textarea owns a listbox popup). Typing "@" and two characters asks
// /beitraege/erwaehnen/?q=…; each option shows name, unit and, while someone is away, "abwesend
// bis …, vertreten durch …". ArrowUp/Down move, Enter or Tab insert "@username ", Escape closes.
// The German words come from the form's data-mention-* attributes ({% translate %}).
// Without JavaScript the box is a plain textarea and "@username" is typed by hand.
(function () {
  "use strict";
  if (!window.fetch || !window.WissensnetzListbox) return;
  // "@" not inside an e-mail address or URL, then a name so far (letters of any script: "@Yıl").
  var TRIGGER = /(^|[^\p{L}\p{N}_@\/.])@([\p{L}\p{N}_]+(?:[.\-][\p{L}\p{N}_]*)*)$/u;

  function enhance(form, textarea) {
    var url = form.getAttribute("data-mention-url");
    var base = textarea.id || "mention-" + Math.random().toString(36).slice(2);
    var list = document.createElement("ul");
    list.id = base + "-mentions";
    list.className = "mention__list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", form.getAttribute("data-mention-label"));
    list.hidden = true;
    var status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    // The popup goes right after the textarea, whose field is its positioning box. The textarea
    // itself is never moved: moving it takes the focus away from someone already typing.
    textarea.parentNode.classList.add("mention");
    textarea.insertAdjacentElement("afterend", list);
    list.insertAdjacentElement("afterend", status);
    textarea.setAttribute("role", "combobox");
    textarea.setAttribute("aria-autocomplete", "list");
    textarea.setAttribute("aria-controls", list.id);
    textarea.setAttribute("aria-expanded", "false");

    var box = window.WissensnetzListbox(textarea, list);
    var timer = null;
    var controller = null;
    var start = -1; // where the "@" of the word being completed stands

    function insert(username) {
      var end = textarea.selectionStart;
      var before = textarea.value.slice(0, start);
      var after = textarea.value.slice(end).replace(/^[\p{L}\p{N}_.\-]*/u, "").replace(/^ /, "");
      var text = "@" + username + " ";
      textarea.value = before + text + after;
      var caret = before.length + text.length;
      textarea.setSelectionRange(caret, caret);
      box.close();
      status.textContent = "";
      textarea.focus();
    }

    function announce(count) {
      var words = count === 0 ? form.getAttribute("data-mention-none")
        : count === 1 ? form.getAttribute("data-mention-one")
        : form.getAttribute("data-mention-many");
      status.textContent = (words || "").replace("{count}", String(count));
    }

    function render(results) {
      box.clear();
      announce(results.length);
      if (!results.length) { box.close(); return; }
      results.forEach(function (row, i) {
        var li = document.createElement("li");
        li.id = list.id + "-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.className = "mention__option";
        li.setAttribute("data-username", row.username);
        var name = document.createElement("span");
        name.className = "mention__name";
        name.textContent = row.name + " (@" + row.username + ")";
        li.appendChild(name);
        [row.department, row.absence].forEach(function (text, k) {
          if (!text) return;
          var span = document.createElement("span");
          span.className = k ? "mention__absence" : "mention__unit";
          span.textContent = ", " + text;
          li.appendChild(span);
        });
        li.addEventListener("mousedown", function (event) { event.preventDefault(); insert(row.username); });
        list.appendChild(li);
      });
      box.show();
    }

    function check() {
      var match = TRIGGER.exec(textarea.value.slice(0, textarea.selectionStart));
      if (!match || match[2].length < 2) { start = -1; box.close(); return; }
      var q = match[2];
      start = textarea.selectionStart - q.length - 1;
      if (controller) controller.abort();
      controller = window.AbortController ? new AbortController() : null;
      fetch(url + "?q=" + encodeURIComponent(q), {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
        signal: controller ? controller.signal : undefined
      })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) {
          var now = TRIGGER.exec(textarea.value.slice(0, textarea.selectionStart));
          if (now && now[2] === q) render(data.results || []);
        })
        .catch(function () {});
    }

    textarea.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(check, 200);
    });
    textarea.addEventListener("keydown", function (event) {
      if (list.hidden) return;
      var chosen = box.current();
      if (event.key === "ArrowDown") { event.preventDefault(); box.select(box.active + 1); }
      else if (event.key === "ArrowUp") { event.preventDefault(); box.select(box.active - 1); }
      else if ((event.key === "Enter" || event.key === "Tab") && chosen) {
        event.preventDefault();
        insert(chosen.getAttribute("data-username"));
      } else if (event.key === "Escape") { event.preventDefault(); box.close(); }
    });
    textarea.addEventListener("blur", function () { window.setTimeout(box.close, 150); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-mention-url]").forEach(function (form) {
      var textarea = form.querySelector("textarea[name=text]");
      if (textarea) enhance(form, textarea);
    });
  });
})();
