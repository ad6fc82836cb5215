// Small behaviours shared by every page (no inline scripts: the CSP forbids them).
document.addEventListener("change", (ev) => {
  const el = ev.target;
  if (el.matches && el.matches("[data-autosubmit]")) el.form.submit();
});
document.addEventListener("htmx:configRequest", (ev) => {
  const token = document.querySelector("input[name=csrfmiddlewaretoken]");
  if (token) ev.detail.headers["X-CSRFToken"] = token.value;
});
