// The checkpoint scan page: verify offline, queue each passage, upload when online.
(function () {
  "use strict";
  const V = window.CordonVerify;
  const body = document.body;
  const cpId = body.dataset.checkpoint;
  const api = body.dataset.api;
  const T = JSON.parse(document.getElementById("i18n").textContent);
  const REASONS = JSON.parse(document.getElementById("reason-texts").textContent);
  const CFG_KEY = "cordon.verifier." + cpId;
  const QUEUE_KEY = "cordon.queue." + cpId;
  const $ = (id) => document.getElementById(id);

  let cfg = JSON.parse(document.getElementById("verifier-config").textContent);
  // The page itself may come from the service worker's cache: keep the newest config we have seen.
  try {
    const stored = JSON.parse(localStorage.getItem(CFG_KEY) || "null");
    if (stored && stored.fetched_at > cfg.fetched_at) cfg = stored;
  } catch (e) { /* ignore */ }
  localStorage.setItem(CFG_KEY, JSON.stringify(cfg));

  function fillRisk() {
    const sel = $("origin_level");
    const current = sel.value;
    while (sel.options.length > 1) sel.remove(1);
    (cfg.risk_levels || []).forEach((lv) => { const o = document.createElement("option"); o.value = lv; o.textContent = lv; sel.appendChild(o); });
    sel.value = current;
    const dl = $("areas");
    dl.innerHTML = "";
    (cfg.risk_areas || []).forEach((a) => { const o = document.createElement("option"); o.value = a.name; o.dataset.level = a.level; dl.appendChild(o); });
    $("ruleset").textContent = cfg.ruleset + " · " + cfg.validity_hours + "h";
  }
  fillRisk();

  $("origin").addEventListener("change", () => {
    const hit = (cfg.risk_areas || []).find((a) => a.name === $("origin").value);
    if (hit) $("origin_level").value = hit.level;
  });

  function queue() { try { return JSON.parse(localStorage.getItem(QUEUE_KEY) || "[]"); } catch (e) { return []; } }
  function saveQueue(q) { localStorage.setItem(QUEUE_KEY, JSON.stringify(q)); $("queue").textContent = q.length; }
  saveQueue(queue());

  function subject() { return document.querySelector("input[name=subject]:checked").value; }
  document.querySelectorAll("input[name=subject]").forEach((r) => r.addEventListener("change", () => {
    document.querySelector(".vehicle").hidden = subject() !== "vehicle";
  }));

  function show(result, reason, detail) {
    const box = $("verdict");
    box.className = "verdict " + result;
    $("vresult").textContent = T[result] || result;
    $("vreason").textContent = REASONS[reason] || reason;
    $("vdetail").textContent = detail || "";
  }

  function ref() {
    return (crypto.randomUUID ? crypto.randomUUID() : (Date.now().toString(36) + Math.random().toString(36).slice(2))).slice(0, 40);
  }

  async function inspect() {
    const code = $("code").value.trim();
    const now = Date.now() / 1000;
    const level = $("origin_level").value;
    let result, reason, detail = "";
    let checked = null;
    if (code) {
      checked = await V.check(code, cfg.keys, now);
      [result, reason] = V.verdict(checked, cfg, now, level);
      if (checked.claims && (checked.ok || checked.reason === "expired")) {
        const c = V.COLOURS[checked.claims.c];
        const neg = checked.claims.n ? new Date(checked.claims.n * 1000).toLocaleString() : T.none;
        detail = T.colour + ": " + (T[c] || c) + " · " + T.test + ": " + neg + " · " + T.expires + ": " + new Date(checked.claims.e * 1000).toLocaleTimeString();
      }
    }
    if (subject() === "vehicle") {
      const plate = $("plate").value.trim().toUpperCase().replace(/\s/g, "");
      const number = $("pass_number").value.trim().toUpperCase();
      if (number) {
        const v = V.vehicleVerdict(cfg.passes, number, plate, now);
        if (!(result === "hold")) [result, reason] = v;
      } else if (!code) {
        [result, reason] = ["redirect", "pass_invalid"];
      }
    } else if (!code) {
      return;
    }
    show(result, reason, detail);
    const q = queue();
    q.push({ client_ref: ref(), subject: subject(), code: code, plate: $("plate").value.trim(), pass_number: $("pass_number").value.trim(),
             origin: $("origin").value.trim(), origin_level: level, destination: $("destination").value.trim(),
             at: new Date().toISOString(), offline: !navigator.onLine });
    saveQueue(q);
    $("code").value = "";
    $("code").focus();
    if (navigator.onLine) upload();
  }

  $("scanform").addEventListener("submit", (ev) => { ev.preventDefault(); inspect(); });
  $("code").addEventListener("keydown", (ev) => { if (ev.key === "Enter") { ev.preventDefault(); inspect(); } });

  let uploading = false;
  async function upload() {
    if (uploading) return;
    const q = queue();
    if (!q.length) return;
    uploading = true;
    const batch = q.slice(0, 500);
    const csrf = document.querySelector("input[name=csrfmiddlewaretoken]");
    try {
      const res = await fetch(api + "inspections/bulk", {
        method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf ? csrf.value : "",
                   "Idempotency-Key": "scan-" + cpId + "-" + batch[0].client_ref + "-" + batch.length },
        body: JSON.stringify({ items: batch }),
      });
      if (res.ok) {
        const done = new Set(batch.map((i) => i.client_ref));
        saveQueue(queue().filter((i) => !done.has(i.client_ref)));
        $("net").textContent = T.online + " · " + T.uploaded;
      } else if (res.status === 401 || res.status === 403) {
        $("net").textContent = T.login;
      } else if (res.status === 400) {
        const err = await res.json().catch(() => ({}));
        $("net").textContent = T.rejected + ": " + ((err.error && err.error.message) || res.status);
      }
    } catch (e) {
      $("net").textContent = T.offline;
    } finally {
      uploading = false;
    }
  }
  $("sync").addEventListener("click", upload);

  async function refreshConfig() {
    try {
      const res = await fetch(api + "verifier", { credentials: "same-origin" });
      if (res.ok) { cfg = await res.json(); localStorage.setItem(CFG_KEY, JSON.stringify(cfg)); fillRisk(); }
    } catch (e) { /* offline: keep the cached keys and rules */ }
  }

  function net() { $("net").textContent = navigator.onLine ? T.online : T.offline; if (navigator.onLine) { upload(); refreshConfig(); } }
  window.addEventListener("online", net);
  window.addEventListener("offline", net);
  net();
  setInterval(() => { if (navigator.onLine) upload(); }, 30000);

  // A scanned code (camera or photo, through cordon/qrscan.js): a green-lane pass label (CDV.<number>.<plate>)
  // switches to vehicle mode and fills both fields; anything else is checked as a health code.
  $("code").addEventListener("cordon:scanned", (ev) => {
    const text = (ev.detail.text || "").trim();
    if (text.indexOf("CDV.") === 0) {
      const parts = text.split(".");
      document.querySelector("input[name=subject][value=vehicle]").checked = true;
      document.querySelector(".vehicle").hidden = false;
      $("pass_number").value = parts[1] || "";
      $("plate").value = parts.slice(2).join(".");
      $("code").value = "";
    }
    inspect();
  });
  $("code").addEventListener("cordon:scan-failed", (ev) => show("redirect", "malformed", ev.detail.error || ""));

  if ("serviceWorker" in navigator) navigator.serviceWorker.register(body.dataset.sw, { scope: "/checkpoints/" }).catch(() => {});
})();
