// The resident's health code: draw the QR, renew it online, keep the last one for offline display.
(function () {
  "use strict";
  const body = document.body;
  const token = body.dataset.token;
  const T = JSON.parse(document.getElementById("i18n").textContent);
  const KEY = "cordon.code." + token;
  const $ = (id) => document.getElementById(id);
  let current = JSON.parse(document.getElementById("code-boot").textContent);
  try {
    const stored = JSON.parse(localStorage.getItem(KEY) || "null");
    if (stored && stored.expires > current.expires) current = stored;
  } catch (e) { /* ignore */ }

  function draw() {
    localStorage.setItem(KEY, JSON.stringify(current));
    const qr = window.qrcode(0, "M");
    qr.addData(current.code);
    qr.make();
    $("qr").innerHTML = qr.createSvgTag({ cellSize: 4, margin: 2, scalable: true });
    $("codetext").value = current.code;
    $("colour").textContent = T[current.colour] || current.colour;
    $("lastneg").textContent = current.last_negative ? new Date(current.last_negative * 1000).toLocaleString() : "-";
    $("expires").textContent = new Date(current.expires * 1000).toLocaleTimeString();
    tick();
  }

  function tick() {
    const stale = Date.now() / 1000 > current.expires;
    $("card").className = "codecard " + (stale ? "stale" : current.colour);
    $("stale").hidden = !stale;
  }

  async function renew() {
    try {
      const res = await fetch(body.dataset.api, { credentials: "omit" });
      if (!res.ok) return;
      const data = await res.json();
      current = { token: token, code: data.code, colour: data.colour,
                  expires: Math.floor(Date.parse(data.expires_at) / 1000),
                  last_negative: data.last_negative_at ? Math.floor(Date.parse(data.last_negative_at) / 1000) : 0 };
      draw();
    } catch (e) { /* offline: keep showing the stored code until it expires */ }
  }

  draw();
  setInterval(tick, 5000);
  // Renew well before expiry (and at once when the network comes back).
  setInterval(() => { if (current.expires - Date.now() / 1000 < 300) renew(); }, 20000);
  window.addEventListener("online", renew);
  if ("serviceWorker" in navigator) navigator.serviceWorker.register(body.dataset.sw, { scope: "/checkpoints/" }).catch(() => {});
})();
