// Balai's service worker: the home page and the last news pages stay readable offline.
// Only public pages are kept: a page the server marks private (anyone logged in) never is.
var CACHE = "balai-halaman-v1";
var KEEP = 12;

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });

function isPublicPage(url) {
  return url.origin === self.location.origin &&
    (url.pathname === "/" || url.pathname.indexOf("/berita/") === 0);
}

function keepable(response) {
  var cacheControl = response.headers.get("Cache-Control") || "";
  return response.status === 200 && response.type === "basic" &&
    !/private|no-store/.test(cacheControl);
}

function keep(request, response) {
  return caches.open(CACHE).then(function (cache) {
    return cache.delete(request).then(function () { return cache.put(request, response); })
      .then(function () { return cache.keys(); })
      .then(function (keys) {
        return Promise.all(keys.slice(0, Math.max(0, keys.length - KEEP)).map(function (old) {
          return cache.delete(old);
        }));
      });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET" || request.mode !== "navigate" || !isPublicPage(new URL(request.url))) return;
  event.respondWith(fetch(request).then(function (response) {
    if (keepable(response)) event.waitUntil(keep(request, response.clone()));
    return response;
  }, function () {
    return caches.match(request, {ignoreVary: true}).then(function (kept) {
      return kept || Response.error();
    });
  }));
});
