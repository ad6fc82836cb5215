// The shared search widget (cordon.core.autocomplete): htmx fills the suggestion list as the user types; picking
// a suggestion puts its value in the hidden input and its name in the search box. Typing again clears the choice.
(() => {
  const box = (el) => el.closest && el.closest("[data-ac]");
  const close = (ac) => {
    const list = ac.querySelector(".ac-list"), q = ac.querySelector(".ac-q");
    if (list) list.innerHTML = "";
    if (q) q.setAttribute("aria-expanded", "false");
  };
  const pick = (button) => {
    const ac = box(button);
    ac.querySelector("[data-ac-value]").value = button.dataset.value;
    ac.querySelector("[data-ac-label]").value = button.dataset.label;
    const q = ac.querySelector(".ac-q");
    q.value = button.dataset.label;
    close(ac);
    q.focus();
    ac.dispatchEvent(new CustomEvent("cordon:picked", { bubbles: true, detail: { value: button.dataset.value } }));
  };
  document.addEventListener("click", (ev) => {
    const button = ev.target.closest && ev.target.closest(".ac-pick");
    if (button) { ev.preventDefault(); pick(button); return; }
    document.querySelectorAll("[data-ac]").forEach((ac) => { if (!ac.contains(ev.target)) close(ac); });
  });
  document.addEventListener("input", (ev) => {
    const ac = ev.target.classList && ev.target.classList.contains("ac-q") && box(ev.target);
    if (!ac) return;
    ac.querySelector("[data-ac-value]").value = "";
    ac.querySelector("[data-ac-label]").value = ev.target.value;
  });
  document.addEventListener("htmx:afterSwap", (ev) => {
    const ac = box(ev.target);
    if (ac) ac.querySelector(".ac-q").setAttribute("aria-expanded", ev.target.children.length ? "true" : "false");
  });
  document.addEventListener("keydown", (ev) => {
    const ac = box(ev.target);
    if (!ac) return;
    const options = [...ac.querySelectorAll(".ac-pick")];
    if (ev.key === "Escape") { close(ac); return; }
    if (ev.key === "Enter" && ev.target.classList.contains("ac-q")) {
      ev.preventDefault();  // Enter in the search box picks the first suggestion rather than sending the form
      if (options.length) pick(options[0]);
      return;
    }
    if (ev.key !== "ArrowDown" && ev.key !== "ArrowUp") return;
    ev.preventDefault();
    const at = options.indexOf(document.activeElement);
    const next = ev.key === "ArrowDown" ? Math.min(at + 1, options.length - 1) : at - 1;
    if (next < 0) ac.querySelector(".ac-q").focus(); else if (options[next]) options[next].focus();
  });
})();
