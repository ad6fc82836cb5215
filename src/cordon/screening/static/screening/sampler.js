// Sampler page: scans queue in localStorage and upload in batches with an Idempotency-Key.
// A batch keeps its key until the server answers, so a retry after a lost connection or a
// server restart replays the stored answer instead of storing the samples twice. Rows the
// server refuses (with row and field) are shown and dropped; the rest go again as a new batch.
(function () {
  "use strict";
  const root = document.getElementById("sampler");
  if (!root) return;
  const cfg = root.dataset;
  const KEY = "cordon.screening." + cfg.round + "." + cfg.site;
  const BATCH = 500;
  const $ = (id) => document.getElementById(id);
  const msg = (name) => cfg["msg" + name.charAt(0).toUpperCase() + name.slice(1)] || name;

  function load() {
    try {
      const s = JSON.parse(localStorage.getItem(KEY) || "{}");
      return { queue: s.queue || [], inflight: s.inflight || null, done: s.done || [], refusals: s.refusals || [],
               tube: s.tube || "", tubeCount: s.tubeCount || 0, recent: s.recent || [] };
    } catch (e) {
      return { queue: [], inflight: null, done: [], refusals: [], tube: "", tubeCount: 0, recent: [] };
    }
  }
  let state = load();
  function save() { localStorage.setItem(KEY, JSON.stringify(state)); render(); }

  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return Date.now().toString(36) + Math.random().toString(36).slice(2);
  }

  function text(el, value) { el.textContent = value; }

  function render() {
    text($("queued"), String(state.queue.length + (state.inflight ? state.inflight.items.length : 0)));
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
    if (state.done.includes(person) || state.queue.some((i) => i.person === person)) { alert(msg("dup")); return false; }
    if (tube !== state.tube) { state.tube = tube; state.tubeCount = 0; }
    if (state.tubeCount >= pool) { alert(msg("full")); return false; }
    const item = { person, tube, site: parseInt(cfg.site, 10), sampled_at: new Date().toISOString() };
    state.queue.push(item);
    state.tubeCount += 1;
    state.recent.push({ person, tube, at: item.sampled_at, state: "queued" });
    state.recent = state.recent.slice(-50);
    save();
    return true;
  }

  let busy = false;
  async function upload() {
    if (busy || !navigator.onLine) return;
    if (!state.inflight && state.queue.length) {
      state.inflight = { key: uuid(), items: state.queue.slice(0, BATCH) };
      state.queue = state.queue.slice(BATCH);
      save();
    }
    if (!state.inflight) return;
    busy = true;
    const batch = state.inflight;
    try {
      const resp = await fetch(cfg.api, {
        method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": cfg.csrf, "Idempotency-Key": batch.key },
        body: JSON.stringify({ items: batch.items }),
      });
      const body = await resp.json().catch(() => ({}));
      if (resp.status === 201) {
        batch.items.forEach((i) => state.done.push(i.person));
        state.done = state.done.slice(-5000);
        const sent = new Set(batch.items.map((i) => i.person));
        state.recent.forEach((r) => { if (sent.has(r.person)) r.state = "done"; });
        state.inflight = null;
      } else if (resp.status === 400 || resp.status === 409 || resp.status === 422) {
        const fields = (body.error && body.error.fields) || [];
        const badRows = new Set(fields.filter((f) => f.row).map((f) => f.row));
        fields.forEach((f) => {
          const item = f.row ? batch.items[f.row - 1] : null;
          state.refusals.push({ person: item ? item.person : "", tube: item ? item.tube : "", field: f.field, message: f.message });
        });
        if (!badRows.size && body.error) {
          state.refusals.push({ person: "", tube: "", field: body.error.code, message: body.error.message });
        }
        const keep = badRows.size ? batch.items.filter((_i, n) => !badRows.has(n + 1)) : [];
        state.queue = keep.concat(state.queue);  // good rows go again under a new key
        state.inflight = null;
      } else if (resp.status === 401 || resp.status === 403) {
        state.refusals.push({ person: "", tube: "", field: "login", message: (body.error && body.error.message) || resp.status });
      }
      // 5xx: keep the batch and its key; the next attempt retries it
    } catch (e) {
      // network down: keep the batch and its key
    } finally {
      busy = false;
      save();
    }
    if (!state.inflight && state.queue.length >= 1 && navigator.onLine) setTimeout(upload, 50);
  }

  async function closeTube() {
    if (!state.tube) return;
    const code = state.tube;
    await upload();
    try {
      const resp = await fetch(cfg.close + encodeURIComponent(code) + "/close", {
        method: "POST", credentials: "same-origin", headers: { "X-CSRFToken": cfg.csrf } });
      if (resp.ok) { alert(msg("closed") + " " + code); state.tube = ""; state.tubeCount = 0; save(); }
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
  window.addEventListener("online", () => { render(); upload(); });
  window.addEventListener("offline", render);
  setInterval(upload, 5000);
  if (state.tube) $("tube").value = state.tube;
  render();
  upload();
})();
