// Progressive enhancement only: every feature works without JavaScript.
document.documentElement.classList.add("js");

// A toolbar (role="toolbar", e.g. a post's reactions) is one tab stop: Tab reaches its first
// button (or the pressed one), the arrow keys, Home and End move between its buttons.
function rovingToolbar(toolbar) {
  if (toolbar.dataset.roving) return;
  toolbar.dataset.roving = "1";
  const buttons = Array.from(toolbar.querySelectorAll("button"));
  if (!buttons.length) return;
  const current = buttons.find((b) => b.getAttribute("aria-pressed") === "true") || buttons[0];
  buttons.forEach((b) => { b.tabIndex = b === current ? 0 : -1; });
  toolbar.addEventListener("keydown", (event) => {
    const index = buttons.indexOf(document.activeElement);
    if (index < 0) return;
    let next = null;
    if (event.key === "ArrowRight" || event.key === "ArrowDown") next = buttons[(index + 1) % buttons.length];
    else if (event.key === "ArrowLeft" || event.key === "ArrowUp") next = buttons[(index - 1 + buttons.length) % buttons.length];
    else if (event.key === "Home") next = buttons[0];
    else if (event.key === "End") next = buttons[buttons.length - 1];
    if (!next) return;
    event.preventDefault();
    buttons.forEach((b) => { b.tabIndex = b === next ? 0 : -1; });
    next.focus();
  });
}

function rovingToolbars(root) {
  root.querySelectorAll('[role="toolbar"]').forEach(rovingToolbar);
}

document.addEventListener("DOMContentLoaded", () => {
  rovingToolbars(document);
  // posts loaded later ("Ältere laden", new posts) get the same
  new MutationObserver((changes) => changes.forEach((change) => change.addedNodes.forEach((node) => {
    if (node.nodeType === Node.ELEMENT_NODE) rovingToolbars(node);
  }))).observe(document.body, { childList: true, subtree: true });

  const toggle = document.querySelector(".nav-toggle");
  const nav = document.getElementById("site-nav");
  if (toggle && nav) {
    toggle.addEventListener("click", () => {
      const open = toggle.getAttribute("aria-expanded") === "true";
      toggle.setAttribute("aria-expanded", String(!open));
      nav.classList.toggle("is-open", !open);
    });
  }
  const language = document.getElementById("language-select");
  if (language) {
    language.addEventListener("change", () => language.form.submit());
  }
});
