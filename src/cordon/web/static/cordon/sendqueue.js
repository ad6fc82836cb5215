// The field pages' send queue (compound gate, sampler): entries are kept in localStorage and shown as waiting to
// send; batches go to a bulk API with an Idempotency-Key that stays with the batch until the server answers, so a
// resend after a lost answer (network drop, server restart) is stored once. Rows the server refuses (its error
// names them by row) are handed to the page and dropped; the rest go again under a new key. A 5xx or a dropped
// network keeps the batch and its key for the next attempt.
//
//   const q = CordonSendQueue({storageKey, api, csrf, batch, extra: () => ({...page state...}), render,
//                              sent(batch), refused(batch, badRows, fields, body), denied(status, body)});
//   q.state            the page's state: queue [{ref, item}], inflight {key, refs, items} and the page's own fields
//   q.add(item) -> ref  queue an entry;   q.save()  store and re-render;   q.upload()  send what waits
//   q.waiting()        entries not yet acknowledged;   q.start(ms)  send now, when online and every ms
(function () {
  "use strict";

  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return Date.now().toString(36) + Math.random().toString(36).slice(2);
  }

  const REFUSED = [400, 404, 409, 422];

  window.CordonSendQueue = function (opts) {
    const q = {};

    function load() {
      let stored = {};
      try { stored = JSON.parse(localStorage.getItem(opts.storageKey) || "{}") || {}; } catch (e) { stored = {}; }
      // entries stored by an older page as bare items get a reference of their own
      const queue = (stored.queue || []).map((e) => (e && e.item ? e : { ref: uuid(), item: e }));
      return Object.assign(opts.extra(), stored, { queue: queue, inflight: stored.inflight || null });
    }

    q.state = load();
    q.uuid = uuid;
    q.save = function () { localStorage.setItem(opts.storageKey, JSON.stringify(q.state)); opts.render(); };
    q.waiting = function () { return q.state.queue.length + (q.state.inflight ? q.state.inflight.items.length : 0); };
    q.add = function (item) { const ref = uuid(); q.state.queue.push({ ref: ref, item: item }); return ref; };
    q.online = function () { return navigator.onLine; };

    let busy = false;
    q.upload = async function () {
      const s = q.state;
      if (busy || !navigator.onLine) return;
      if (!s.inflight && s.queue.length) {
        const rows = s.queue.slice(0, opts.batch);
        s.inflight = { key: uuid(), refs: rows.map((r) => r.ref), items: rows.map((r) => r.item) };
        s.queue = s.queue.slice(opts.batch);
        q.save();
      }
      if (!s.inflight) return;
      busy = true;
      const batch = s.inflight;
      try {
        const resp = await fetch(opts.api, {
          method: "POST", credentials: "same-origin",
          headers: { "Content-Type": "application/json", "X-CSRFToken": opts.csrf, "Idempotency-Key": batch.key },
          body: JSON.stringify({ items: batch.items }),
        });
        const body = await resp.json().catch(() => ({}));
        if (resp.status === 201) {
          opts.sent(batch);
          s.inflight = null;
        } else if (REFUSED.indexOf(resp.status) >= 0) {
          const fields = (body.error && body.error.fields) || [];
          const bad = new Set(fields.filter((f) => f.row).map((f) => f.row));
          opts.refused(batch, bad, fields, body);
          if (bad.size) {  // the good rows go again under a new key
            const keep = batch.refs.map((ref, n) => ({ ref: ref, item: batch.items[n] })).filter((_r, n) => !bad.has(n + 1));
            s.queue = keep.concat(s.queue);
          }
          s.inflight = null;
        } else if (resp.status === 401 || resp.status === 403) {
          opts.denied(resp.status, body);
        }
      } catch (e) {
        // the network dropped: keep the batch and its key
      } finally {
        busy = false;
        q.save();
      }
      if (!s.inflight && s.queue.length && navigator.onLine) setTimeout(q.upload, 50);
    };

    q.start = function (every) {
      window.addEventListener("online", () => { opts.render(); q.upload(); });
      window.addEventListener("offline", opts.render);
      setInterval(q.upload, every);
      opts.render();
      q.upload();
    };
    return q;
  };
})();
