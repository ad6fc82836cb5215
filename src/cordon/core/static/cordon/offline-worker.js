// The offline cache of a page's service worker, in one copy: the checkpoints worker (scan and code pages) and the
// community worker (gate page) load it with importScripts and name their cache, assets and pages:
//
//   importScripts("/static/cordon/offline-worker.js");
//   CordonOfflineWorker({cache: "cordon-gate-v2", assets: [...], page: (url) => url.pathname === "/community/gate/"});
//
// Install stores the assets. Activate deletes this worker's older caches only (same name up to "-v<n>"): the workers
// share the origin's cache storage, so deleting every other cache would empty the other worker's offline copy.
// A page (`page(url)`) is network first, the cached copy when offline (else `offline()`, a network error by default);
// an asset (one of `assets`, or any file under `assetPrefix`) is cache first.
(function (root) {
  root.CordonOfflineWorker = function (options) {
    const CACHE = options.cache;
    const FAMILY = CACHE.replace(/-v\d+$/, "-v");
    const ASSETS = options.assets;
    const isAsset = (url) => ASSETS.indexOf(url.pathname) >= 0 || (!!options.assetPrefix && url.pathname.startsWith(options.assetPrefix));
    const offline = options.offline || (() => Response.error());

    root.addEventListener("install", (event) => {
      event.waitUntil(caches.open(CACHE).then((c) => c.addAll(ASSETS)).then(() => root.skipWaiting()));
    });

    root.addEventListener("activate", (event) => {
      event.waitUntil(caches.keys().then((names) => Promise.all(names.filter((n) => n.indexOf(FAMILY) === 0 && n !== CACHE)
        .map((n) => caches.delete(n)))).then(() => root.clients.claim()));
    });

    root.addEventListener("fetch", (event) => {
      const req = event.request;
      if (req.method !== "GET") return;
      const url = new URL(req.url);
      if (url.origin !== root.location.origin) return;
      if (options.page(url)) {
        event.respondWith(fetch(req).then((res) => {
          if (res.ok && !res.redirected) { const copy = res.clone(); caches.open(CACHE).then((c) => c.put(req, copy)); }
          return res;
        }).catch(() => caches.match(req).then((hit) => hit || offline())));
      } else if (isAsset(url)) {
        event.respondWith(caches.match(req).then((hit) => hit || fetch(req)));
      }
    });
  };
})(self);
