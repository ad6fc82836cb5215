// Service worker for /community/: keeps the gate page and its scripts so the page opens again with no network
// (the entries themselves wait in localStorage, see gate.js; the handlers: core's offline-worker.js). Network first
// for the page, cache first for scripts.
importScripts("/static/cordon/offline-worker.js");

self.CordonOfflineWorker({
  cache: "cordon-gate-v2",
  assets: [
    "/static/community/gate.js",
    "/static/cordon/qrscan.js",
    "/static/cordon/sendqueue.js",
    "/static/cordon/scan.css",
    "/static/vendor/jsqr/jsQR.js",
    "/static/checkpoints/verify.js",
    "/static/checkpoints/vendor/nacl-fast.min.js",
  ],
  page: (url) => url.pathname === "/community/gate/",
});
