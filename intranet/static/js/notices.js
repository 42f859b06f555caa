// The urgent notices banner (includes/notices.html), progressive enhancement: without JavaScript
// every notice is listed, compact. With it, one notice at a time with "1 of 2" and
// previous/next; on a phone the banner starts as a slim bar that opens.
(function () {
  const banner = document.querySelector("[data-notices]");
  if (!banner) return;
  const items = Array.from(banner.querySelectorAll("[data-notice]"));
  const pager = banner.querySelector(".notice-urgent__pager");
  const position = banner.querySelector(".notice-urgent__position");
  let current = 0;

  function show(index) {
    current = (index + items.length) % items.length;
    items.forEach((item, i) => { item.hidden = i !== current; });
    if (position) {
      position.textContent = position.dataset.template
        .replace("{number}", String(current + 1))
        .replace("{total}", String(items.length));
    }
  }

  if (items.length > 1 && pager) {
    pager.hidden = false;
    banner.querySelector(".notice-urgent__prev").addEventListener("click", () => show(current - 1));
    banner.querySelector(".notice-urgent__next").addEventListener("click", () => show(current + 1));
    show(0);
  }

  const toggle = banner.querySelector(".notice-urgent__open");
  const list = document.getElementById("notices-list");
  function setOpen(open) {
    toggle.setAttribute("aria-expanded", String(open));
    toggle.textContent = open ? toggle.dataset.hide : toggle.dataset.show;
    list.hidden = !open;
    if (pager && items.length > 1) pager.hidden = !open;
    banner.classList.toggle("notice-urgent--closed", !open);
  }
  if (toggle && list && window.matchMedia("(max-width: 40rem)").matches) {
    toggle.hidden = false;
    toggle.addEventListener("click", () => setOpen(toggle.getAttribute("aria-expanded") !== "true"));
    setOpen(false);
  }
})();
