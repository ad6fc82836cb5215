// The phone menu: the menu button opens the side navigation as a drawer (the CSS also opens it on #nav
// without JavaScript); Escape, the close link or a tap outside closes it. No inline scripts (CSP).
(() => {
  const setOpen = (open) => {
    document.body.classList.toggle("nav-open", open);
    document.querySelectorAll(".menu-button").forEach((b) => b.setAttribute("aria-expanded", open ? "true" : "false"));
    const nav = document.getElementById("nav");
    if (open && nav) { const first = nav.querySelector("a.active, a.home-link"); if (first) first.focus(); }
  };
  document.addEventListener("click", (ev) => {
    const toggle = ev.target.closest && ev.target.closest("[data-nav-toggle]");
    if (toggle) {
      ev.preventDefault();
      setOpen(!document.body.classList.contains("nav-open"));
      if (!document.body.classList.contains("nav-open")) { const b = document.querySelector(".menu-button"); if (b) b.focus(); }
      return;
    }
    if (document.body.classList.contains("nav-open") && !ev.target.closest("#nav")) setOpen(false);
  });
  document.addEventListener("keydown", (ev) => {
    if (ev.key === "Escape" && document.body.classList.contains("nav-open")) {
      setOpen(false);
      const b = document.querySelector(".menu-button"); if (b) b.focus();
    }
  });
})();
