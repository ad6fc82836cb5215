// Sampler page: each scan goes into the shared send queue (cordon/sendqueue.js: kept on the phone, uploaded in
// batches with an Idempotency-Key, so a retry after a lost connection is stored once); rows the server refuses
// (with row and field) are shown here.
(function () {
  "use strict";
  const root = document.getElementById("sampler");
  if (!root) return;
  const cfg = root.dataset;
  const KEY = "cordon.screening." + cfg.round + "." + cfg.site;
  const BATCH = 500;
  const $ = (id) => document.getElementById(id);
  const msg = (name) => cfg["msg" + name.charAt(0).toUpperCase() + name.slice(1)] || name;

  const q = window.CordonSendQueue({
    storageKey: KEY, api: cfg.api, csrf: cfg.csrf, batch: BATCH, render: render,
    extra: () => ({ done: [], refusals: [], tube: "", tubeCount: 0, recent: [] }),
    sent: (batch) => {
      batch.items.forEach((i) => state.done.push(i.person));
      state.done = state.done.slice(-5000);
      const sent = new Set(batch.items.map((i) => i.person));
      state.recent.forEach((r) => { if (sent.has(r.person)) r.state = "done"; });
    },
    refused: (batch, bad, fields, body) => {
      fields.forEach((f) => {
        const item = f.row ? batch.items[f.row - 1] : null;
        state.refusals.push({ person: item ? item.person : "", tube: item ? item.tube : "", field: f.field, message: f.message });
      });
      if (!bad.size && body.error) state.refusals.push({ person: "", tube: "", field: body.error.code, message: body.error.message });
    },
    denied: (status, body) => state.refusals.push({ person: "", tube: "", field: "login", message: (body.error && body.error.message) || status }),
  });
  const state = q.state;
  const upload = q.upload;

  function text(el, value) { el.textContent = value; }

  function render() {
    text($("queued"), String(q.waiting()));
    text($("net"), navigator.onLine ? msg("online") : msg("offline"));
    $("net").className = "tag " + (navigator.onLine ? "colour-green" : "colour-red");
    const pool = parseInt(cfg.pool, 10) || 1;
    text($("tube-state"), state.tube ? state.tube + " · " + state.tubeCount + "/" + pool : msg("needTube"));
    const ref = $("refusals");
    ref.replaceChildren(...state.refusals.slice(-20).reverse().map((r) => {
      const li = document.createElement("li");
      li.className = "error";
      li.textContent = msg("refused") + ": " + r.person + " / " + r.tube + " — " + r.field + ": " + r.message;
      return li;
    }));
    const rec = $("recent");
    rec.replaceChildren(...state.recent.slice(-10).reverse().map((r) => {
      const li = document.createElement("li");
      li.textContent = r.at.slice(11, 19) + "  " + r.tube + "  " + maskPerson(r.person) + "  " + (r.state === "done" ? msg("uploaded") : msg("queued"));
      return li;
    }));
  }

  function maskPerson(p) { return p.length > 8 ? p.slice(0, 4) + "…" + p.slice(-4) : p; }

  function add(person, tube) {
    const pool = parseInt(cfg.pool, 10) || 1;
    if (!tube) { alert(msg("needTube")); return false; }
    if (state.done.includes(person) || state.queue.some((e) => e.item.person === person)) { alert(msg("dup")); return false; }
    if (tube !== state.tube) { state.tube = tube; state.tubeCount = 0; }
    if (state.tubeCount >= pool) { alert(msg("full")); return false; }
    const item = { person, tube, site: parseInt(cfg.site, 10), sampled_at: new Date().toISOString() };
    q.add(item);
    state.tubeCount += 1;
    state.recent.push({ person, tube, at: item.sampled_at, state: "queued" });
    state.recent = state.recent.slice(-50);
    q.save();
    return true;
  }

  async function closeTube() {
    if (!state.tube) return;
    const code = state.tube;
    await upload();
    try {
      const resp = await fetch(cfg.close + encodeURIComponent(code) + "/close", {
        method: "POST", credentials: "same-origin", headers: { "X-CSRFToken": cfg.csrf } });
      if (resp.ok) { alert(msg("closed") + " " + code); state.tube = ""; state.tubeCount = 0; q.save(); }
      else { const b = await resp.json().catch(() => ({})); alert((b.error && b.error.message) || resp.status); }
    } catch (e) { alert(msg("offline")); }
  }

  $("scan").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const tube = $("tube").value.trim().toUpperCase();
    const person = personKey($("person").value.trim());
    if (!person) { $("person").focus(); return; }
    if (add(person, tube)) {
      $("person").value = "";
      $("person").focus();
      if (state.queue.length >= 20) upload();
    }
  });
  $("tube").addEventListener("change", () => { $("person").focus(); });
  // Scanned (camera or photo, cordon/qrscan.js): a tube label moves on to the person; a health code (CD1.<claims>.<sig>)
  // gives the person token it carries (the server looks the person up; the code's colour is not the sampler's business).
  $("tube").addEventListener("cordon:scanned", () => { $("tube").value = $("tube").value.trim().toUpperCase(); $("person").focus(); });
  function personKey(text) {
    if (text.indexOf("CD1.") !== 0) return text;
    try {
      const b64 = text.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
      return JSON.parse(atob(b64 + "===".slice((b64.length + 3) % 4))).t || "";
    } catch (e) { return ""; }
  }
  $("person").addEventListener("cordon:scanned", () => {
    $("person").value = personKey($("person").value.trim());
    if ($("person").value) $("scan").requestSubmit();
  });
  $("upload").addEventListener("click", upload);
  $("close-tube").addEventListener("click", closeTube);
  if (state.tube) $("tube").value = state.tube;
  q.start(5000);
})();
