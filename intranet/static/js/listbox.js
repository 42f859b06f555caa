// The listbox half of an ARIA 1.2 combobox, shared by the header's search suggestions
// (search/suggest.js) and the @mention box (posts/mention.js): which option is active, moving
// through the options with the arrow keys, showing and closing the popup. Each widget fetches
// and renders its own options and decides what choosing one does. Loaded on every page (base.html)
// before the widgets' own scripts.
(function () {
  "use strict";
  window.WissensnetzListbox = function (input, list) {
    var box = { active: -1 };

    box.options = function () { return list.querySelectorAll("[role=option]"); };

    box.current = function () {
      var items = box.options();
      return box.active >= 0 && items[box.active] ? items[box.active] : null;
    };

    box.clear = function () {
      list.innerHTML = "";
      box.active = -1;
      input.removeAttribute("aria-activedescendant");
    };

    box.show = function () {
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    };

    box.close = function () {
      box.clear();
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
    };

    box.select = function (index) {
      var items = box.options();
      if (!items.length) return;
      box.active = (index + items.length) % items.length;
      for (var i = 0; i < items.length; i++) items[i].setAttribute("aria-selected", i === box.active ? "true" : "false");
      input.setAttribute("aria-activedescendant", items[box.active].id);
      items[box.active].scrollIntoView({ block: "nearest" });
    };

    return box;
  };
})();
