// Service worker for /checkpoints/: keeps the scan page, the code page and their scripts for offline use
// (the handlers: core's offline-worker.js). Network first for the pages and the verifier config (fresh keys, rules
// and code), the cached copy when offline.
importScripts("/static/cordon/offline-worker.js");

self.CordonOfflineWorker({
  cache: "cordon-checkpoints-v2",
  assets: [
    "/static/checkpoints/phone.css",
    "/static/checkpoints/verify.js",
    "/static/checkpoints/scan.js",
    "/static/checkpoints/code.js",
    "/static/checkpoints/vendor/nacl-fast.min.js",
    "/static/vendor/jsqr/jsQR.js",
    "/static/cordon/qrscan.js",
    "/static/checkpoints/vendor/qrcode-generator.js",
  ],
  page: (url) => /^\/checkpoints\/\d+\/scan\/$/.test(url.pathname) || /^\/checkpoints\/code\/[^/]+\/$/.test(url.pathname)
    || /^\/api\/v1\/checkpoints\/\d+\/verifier$/.test(url.pathname),
  assetPrefix: "/static/checkpoints/",
  offline: () => new Response("offline", { status: 503 }),
});
