// The QR print page's button (no inline script under the CSP).
document.addEventListener("DOMContentLoaded", () => {
  const button = document.getElementById("qr-print-now");
  if (button) button.addEventListener("click", () => window.print());
});
