// Service worker for /checkpoints/: keeps the scan page, the code page and their scripts for offline use.
const CACHE = "cordon-checkpoints-v2";
const ASSETS = [
  "/static/checkpoints/phone.css",
  "/static/checkpoints/verify.js",
  "/static/checkpoints/scan.js",
  "/static/checkpoints/code.js",
  "/static/checkpoints/vendor/nacl-fast.min.js",
  "/static/vendor/jsqr/jsQR.js",
  "/static/cordon/qrscan.js",
  "/static/checkpoints/vendor/qrcode-generator.js",
];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll(ASSETS)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys().then((names) => Promise.all(names.filter((n) => n !== CACHE).map((n) => caches.delete(n))))
    .then(() => self.clients.claim()));
});

function pageOrConfig(url) {
  return /^\/checkpoints\/\d+\/scan\/$/.test(url.pathname) || /^\/checkpoints\/code\/[^/]+\/$/.test(url.pathname)
    || /^\/api\/v1\/checkpoints\/\d+\/verifier$/.test(url.pathname);
}

self.addEventListener("fetch", (event) => {
  const req = event.request;
  if (req.method !== "GET") return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  if (pageOrConfig(url)) {
    // Network first (fresh keys, rules and code), the cached copy when offline.
    event.respondWith(fetch(req).then((res) => {
      if (res.ok && !res.redirected) { const copy = res.clone(); caches.open(CACHE).then((c) => c.put(req, copy)); }
      return res;
    }).catch(() => caches.match(req).then((hit) => hit || new Response("offline", { status: 503 }))));
  } else if (url.pathname.startsWith("/static/checkpoints/") || ASSETS.indexOf(url.pathname) >= 0) {
    event.respondWith(caches.match(req).then((hit) => hit || fetch(req)));
  }
});
