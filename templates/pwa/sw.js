// The portal's service worker (anji_recycling/pwa.py serves it at /sw.js, scope "/").
// Same-origin GET requests only; nothing is ever sent from here (the reports filed offline wait
// in IndexedDB and static/js/pwa.js sends them from the page, with the user's session).
//
// - Static files: from the cache first, kept on first use (their names change with their
//   contents in production).
// - Pages: from the network; the grid worker's patrol pages (my patrols, the report forms of
//   the tasks, their sites) are kept when they load, so that they open offline. Offline, a page
//   not kept shows the offline page.
// - Anything else (the API, exports, photos) goes to the network untouched.
"use strict";

const VERSION = "{{ version }}";
const PAGES = "anji-pages";  // also named in static/js/pwa.js
const ASSETS = `anji-assets-${VERSION}`;
const OFFLINE_URL = "{{ offline_url }}";
const KEPT_PAGES = [/^\/patrols\/$/, /^\/report\/$/, /^\/report\/site\/\d+\/$/, /^\/sites\/\d+\/$/, /^\/offline\/$/];

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(PAGES)
      .then((cache) => cache.add(new Request(OFFLINE_URL, { credentials: "same-origin" })))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(
          names
            .filter((name) => name.startsWith("anji-assets-") && name !== ASSETS)
            .map((name) => caches.delete(name)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

function kept(url) {
  return KEPT_PAGES.some((pattern) => pattern.test(url.pathname));
}

async function fromCacheFirst(request) {
  const cached = await caches.match(request);
  if (cached) {
    return cached;
  }
  const response = await fetch(request);
  if (response.ok) {
    const cache = await caches.open(ASSETS);
    await cache.put(request, response.clone());
  }
  return response;
}

async function page(request, url) {
  try {
    const response = await fetch(request);
    if (response.ok && !response.redirected && kept(url)) {
      const cache = await caches.open(PAGES);
      await cache.put(request, response.clone());
    }
    return response;
  } catch (error) {
    const cache = await caches.open(PAGES);
    const cached =
      (await cache.match(request)) || (kept(url) && (await cache.match(request, { ignoreSearch: true })));
    return cached || (await cache.match(OFFLINE_URL)) || Response.error();
  }
}

self.addEventListener("fetch", (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) {
    return;
  }
  if (url.pathname.startsWith("/static/")) {
    event.respondWith(fromCacheFirst(request));
  } else if (request.mode === "navigate") {
    event.respondWith(page(request, url));
  }
});
