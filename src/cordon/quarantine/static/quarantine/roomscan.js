// The quarantine site page's room scanner: a room's door code (CQR.<site>.<number>, cordon/qrscan.js) or a typed
// room number finds the room's row; a room with a stay opens the stay (daily checks, tests, release).
(function () {
  "use strict";
  const input = document.getElementById("room-code");
  if (!input) return;
  const found = document.getElementById("room-found");

  function open() {
    let text = input.value.trim();
    const parts = text.split(".");
    if (parts[0] === "CQR" && parts.length >= 3) {
      if (parts[1] !== input.dataset.site) { found.textContent = input.dataset.msgUnknown; return; }
      text = parts.slice(2).join(".");
    }
    const row = document.getElementById("room-" + text);
    if (!row) { found.textContent = input.dataset.msgUnknown + ": " + text; return; }
    document.querySelectorAll("tr.room-found").forEach((r) => r.classList.remove("room-found"));
    row.classList.add("room-found");
    row.scrollIntoView({ block: "center" });
    found.textContent = text;
    const stay = row.querySelector("a[href*='/stays/']");
    if (stay) window.location.assign(stay.href);
  }

  input.addEventListener("cordon:scanned", open);
  input.addEventListener("keydown", (ev) => { if (ev.key === "Enter") { ev.preventDefault(); open(); } });
  input.addEventListener("cordon:scan-failed", () => { found.textContent = input.dataset.msgUnknown; });
})();
