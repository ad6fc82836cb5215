// The compound gate page: scan (cordon/qrscan.js) or type a pass code or a health code, log the passage.
// A health code (CD1...) is checked here with the city's public keys (checkpoints/verify.js), so the door worker
// sees the colour with no network. Every entry goes into a queue kept in localStorage and is shown as waiting to
// send; batches go to /api/v1/community/passages/bulk with an Idempotency-Key that stays with the batch until the
// server answers, so a resend after a lost answer is stored once. A refused row (with its row number) is shown and
// dropped; the rest go again under a new key.
(function () {
  "use strict";
  const root = document.getElementById("gate");
  if (!root) return;
  const cfg = root.dataset;
  const KEY = "cordon.gate." + cfg.user;
  const BATCH = 200;
  const $ = (id) => document.getElementById(id);
  const msg = (name) => cfg["msg" + name.charAt(0).toUpperCase() + name.slice(1)] || name;
  const keys = JSON.parse(document.getElementById("gate-keys").textContent);

  function load() {
    try {
      const s = JSON.parse(localStorage.getItem(KEY) || "{}");
      return { queue: s.queue || [], inflight: s.inflight || null, refusals: s.refusals || [], recent: s.recent || [] };
    } catch (e) {
      return { queue: [], inflight: null, refusals: [], recent: [] };
    }
  }
  let state = load();
  function save() { localStorage.setItem(KEY, JSON.stringify(state)); render(); }

  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return Date.now().toString(36) + Math.random().toString(36).slice(2);
  }

  function li(text, cls) { const el = document.createElement("li"); el.textContent = text; if (cls) el.className = cls; return el; }

  function render() {
    const waiting = state.queue.length + (state.inflight ? state.inflight.items.length : 0);
    $("pending").textContent = String(waiting);
    $("net").textContent = navigator.onLine ? msg("online") : msg("offline");
    $("net").className = "tag " + (navigator.onLine ? "colour-green" : "colour-red");
    $("refusals").replaceChildren(...state.refusals.slice(-20).reverse().map((r) => li(msg("refused") + ": " + r.label + " — " + r.message, "error")));
    $("entries").replaceChildren(...state.recent.slice(-20).reverse().map((r) => li(
      r.at.slice(11, 16) + " · " + r.label + " · " + (r.state === "sent" ? msg("sent") : r.state === "refused" ? msg("refused") : msg("waiting")),
      "entry " + r.state)));
  }

  function verdict(text, tone) {
    const box = $("verdict");
    box.textContent = text;
    box.className = "card verdict " + (tone || "");
  }

  function mark(refs, value) {
    const set = new Set(refs);
    state.recent.forEach((r) => { if (set.has(r.ref)) r.state = value; });
  }

  // -> {pass_code, person_token, label} or null (a reason shown)
  async function read(code) {
    if (code.indexOf("CD1.") === 0) {
      const checked = await window.CordonVerify.check(code, keys, Date.now() / 1000);
      if (!checked.claims || (!checked.ok && checked.reason !== "expired")) { verdict(msg("badCode"), "red"); return null; }
      if (checked.reason === "expired") { verdict(msg("expired"), "yellow"); return null; }
      const colour = window.CordonVerify.COLOURS[checked.claims.c];
      const out = document.querySelector("input[name=direction]:checked").value === "out";
      verdict(msg("resident") + " · " + msg(colour) + (colour === "red" && out ? " · " + msg("noExit") : ""), colour);
      return { pass_code: "", person_token: checked.claims.t, label: msg("resident") + " " + checked.claims.t.slice(0, 4) + "… · " + msg(colour) };
    }
    const passCode = (code.indexOf("CDE.") === 0 ? code.slice(4) : code).trim().toUpperCase();
    verdict(msg("pass") + " " + passCode, "green");
    return { pass_code: passCode, person_token: "", label: msg("pass") + " " + passCode };
  }

  async function log() {
    const code = $("code").value.trim();
    if (!code) { verdict(msg("needCode"), "yellow"); return; }
    const who = await read(code);
    if (!who) return;
    const [community, ...name] = $("compound").value.split(":");
    const item = { community_id: parseInt(community, 10), compound: name.join(":"),
                   direction: document.querySelector("input[name=direction]:checked").value,
                   pass_code: who.pass_code, person_token: who.person_token, purpose: $("purpose").value.trim(),
                   at: new Date().toISOString() };
    const ref = uuid();
    state.queue.push({ ref: ref, item: item });
    state.recent.push({ ref: ref, label: who.label, at: new Date(Date.now() - new Date().getTimezoneOffset() * 60000).toISOString(), state: "waiting" });
    state.recent = state.recent.slice(-100);
    save();
    $("code").value = "";
    $("purpose").value = "";
    $("code").focus();
    upload();
  }

  let busy = false;
  async function upload() {
    if (busy || !navigator.onLine) return;
    if (!state.inflight && state.queue.length) {
      const rows = state.queue.slice(0, BATCH);
      state.inflight = { key: uuid(), refs: rows.map((r) => r.ref), items: rows.map((r) => r.item) };
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
        mark(batch.refs, "sent");
        state.inflight = null;
      } else if (resp.status === 400 || resp.status === 404 || resp.status === 409 || resp.status === 422) {
        const fields = (body.error && body.error.fields) || [];
        const bad = new Set(fields.filter((f) => f.row).map((f) => f.row));
        const labels = new Map(state.recent.map((r) => [r.ref, r.label]));
        if (bad.size) {
          bad.forEach((row) => state.refusals.push({ label: labels.get(batch.refs[row - 1]) || "", message: body.error.message }));
          mark(batch.refs.filter((_r, n) => bad.has(n + 1)), "refused");
          const keep = batch.refs.map((ref, n) => ({ ref: ref, item: batch.items[n] })).filter((_r, n) => !bad.has(n + 1));
          state.queue = keep.concat(state.queue); // the good rows go again under a new key
        } else {
          state.refusals.push({ label: "", message: (body.error && body.error.message) || String(resp.status) });
          mark(batch.refs, "refused");
        }
        state.inflight = null;
      } else if (resp.status === 401 || resp.status === 403) {
        verdict(msg("login"), "red");
      }
      // 5xx: keep the batch and its key for the next attempt
    } catch (e) {
      // the network dropped: keep the batch and its key
    } finally {
      busy = false;
      save();
    }
    if (!state.inflight && state.queue.length && navigator.onLine) setTimeout(upload, 50);
  }

  $("gate-form").addEventListener("submit", (ev) => { ev.preventDefault(); log(); });
  $("code").addEventListener("cordon:scanned", () => log());
  $("code").addEventListener("cordon:scan-failed", () => verdict(msg("badCode"), "red"));
  $("send").addEventListener("click", upload);
  window.addEventListener("online", () => { render(); upload(); });
  window.addEventListener("offline", render);
  setInterval(upload, 10000);
  render();
  upload();
  if ("serviceWorker" in navigator && cfg.sw) navigator.serviceWorker.register(cfg.sw, { scope: "/community/" }).catch(() => {});
})();
