// The compound gate page: scan (cordon/qrscan.js) or type a pass code or a health code, log the passage.
// A health code (CD1...) is checked here with the city's public keys (checkpoints/verify.js), so the door worker
// sees the colour with no network. Every entry goes into the shared send queue (cordon/sendqueue.js: kept on the
// phone, sent to /api/v1/community/passages/bulk in batches with an Idempotency-Key); a refused row is shown here.
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

  const q = window.CordonSendQueue({
    storageKey: KEY, api: cfg.api, csrf: cfg.csrf, batch: BATCH, render: render,
    extra: () => ({ refusals: [], recent: [] }),
    sent: (batch) => mark(batch.refs, "sent"),
    refused: (batch, bad, _fields, body) => {
      const state = q.state;
      if (bad.size) {
        const labels = new Map(state.recent.map((r) => [r.ref, r.label]));
        bad.forEach((row) => state.refusals.push({ label: labels.get(batch.refs[row - 1]) || "", message: body.error.message }));
        mark(batch.refs.filter((_r, n) => bad.has(n + 1)), "refused");
      } else {
        state.refusals.push({ label: "", message: (body.error && body.error.message) || "" });
        mark(batch.refs, "refused");
      }
    },
    denied: () => verdict(msg("login"), "red"),
  });
  const state = q.state;

  function li(text, cls) { const el = document.createElement("li"); el.textContent = text; if (cls) el.className = cls; return el; }

  function render() {
    $("pending").textContent = String(q.waiting());
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
    const ref = q.add(item);
    state.recent.push({ ref: ref, label: who.label, at: new Date(Date.now() - new Date().getTimezoneOffset() * 60000).toISOString(), state: "waiting" });
    state.recent = state.recent.slice(-100);
    q.save();
    $("code").value = "";
    $("purpose").value = "";
    $("code").focus();
    q.upload();
  }

  $("gate-form").addEventListener("submit", (ev) => { ev.preventDefault(); log(); });
  $("code").addEventListener("cordon:scanned", () => log());
  $("code").addEventListener("cordon:scan-failed", () => verdict(msg("badCode"), "red"));
  $("send").addEventListener("click", q.upload);
  q.start(10000);
  if ("serviceWorker" in navigator && cfg.sw) navigator.serviceWorker.register(cfg.sw, { scope: "/community/" }).catch(() => {});
})();
