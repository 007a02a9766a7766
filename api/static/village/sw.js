// The village console's service worker: keeps the page and its files so the console opens
// with no network once it has been opened. Writes are never cached: the page keeps its
// entries in IndexedDB and sends them itself.
const CACHE = "farmtrace-village-v3";
const SHELL = [
  "/village",
  "/static/farmtrace.css",
  "/static/favicon.svg",
  "/static/village/village.css",
  "/static/village/app.js",
  "/static/village/codes.js",
  "/static/village/entries.js",
  "/static/village/photos.js",
  "/static/village/sync.js",
  "/static/village/trips.js",
];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)));
  self.skipWaiting();
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) if (name !== CACHE) await caches.delete(name);
    await self.clients.claim();
  })());
});

function kept(url) {
  return url.origin === self.location.origin
    && (url.pathname === "/village" || SHELL.includes(url.pathname));
}

// Network first, so an online phone always gets the current farmers and scripts; the kept
// copy when the network fails.
async function networkFirst(request) {
  const cache = await caches.open(CACHE);
  const url = new URL(request.url);
  const key = url.pathname;
  try {
    const response = await fetch(request);
    if (response.ok && !response.redirected) await cache.put(key, response.clone());
    return response;
  } catch (error) {
    const copy = await cache.match(key);
    if (copy) return copy;
    throw error;
  }
}

self.addEventListener("fetch", (event) => {
  if (event.request.method !== "GET") return;
  const url = new URL(event.request.url);
  if (kept(url)) event.respondWith(networkFirst(event.request));
});
