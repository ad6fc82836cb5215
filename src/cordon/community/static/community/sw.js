// Service worker for /community/: keeps the gate page and its scripts so the page opens again with no network
// (the entries themselves wait in localStorage, see gate.js). Network first for the page, cache first for scripts.
const CACHE = "cordon-gate-v2";
const ASSETS = [
  "/static/community/gate.js",
  "/static/cordon/qrscan.js",
  "/static/cordon/sendqueue.js",
  "/static/cordon/scan.css",
  "/static/vendor/jsqr/jsQR.js",
  "/static/checkpoints/verify.js",
  "/static/checkpoints/vendor/nacl-fast.min.js",
];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll(ASSETS)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys().then((names) => Promise.all(names.filter((n) => n.indexOf("cordon-gate-") === 0 && n !== CACHE)
    .map((n) => caches.delete(n)))).then(() => self.clients.claim()));
});

self.addEventListener("fetch", (event) => {
  const req = event.request;
  if (req.method !== "GET") return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname === "/community/gate/") {
    event.respondWith(fetch(req).then((res) => {
      if (res.ok && !res.redirected) { const copy = res.clone(); caches.open(CACHE).then((c) => c.put(req, copy)); }
      return res;
    }).catch(() => caches.match(req).then((hit) => hit || Response.error())));
  } else if (url.pathname.startsWith("/static/") && ASSETS.indexOf(url.pathname) >= 0) {
    event.respondWith(caches.match(req).then((hit) => hit || fetch(req)));
  }
});
