/* Keeps the signed-in client's safety plan and crisis page readable when the server cannot be
   reached. Network first: a fresh copy is stored on every successful visit, the stored copy is
   shown only when the network fails. The pages are stored in CacheStorage on purpose, although
   the server sends them with "Cache-Control: private, no-store": that header keeps them out of
   HTTP caches, and this store is deleted when the client logs out. */
"use strict";

const CACHE = "interlude-safety-plan-v1";
const PAGES = ["/me/safety-plan/", "/me/crisis/"];

async function storePages() {
  // The first visit registers the worker after the page has loaded: store the pages now,
  // so the plan opens offline without a second visit.
  const cache = await caches.open(CACHE);
  await Promise.all(PAGES.map(async (path) => {
    try {
      const response = await fetch(path, { credentials: "same-origin", redirect: "manual" });
      if (cacheable(response)) {
        await cache.put(new URL(path, self.location.origin).href, response.clone());
        await storeAssets(cache, await response.text());
      }
    } catch (error) {
      // Offline at install: the next visit online stores them.
    }
  }));
}

async function storeAssets(cache, html) {
  // The stylesheets and scripts a stored page uses, so the plan is readable offline even when
  // the worker was installed from another page and the plan page was never opened online.
  const paths = new Set(Array.from(html.matchAll(/(?:href|src)="(\/static\/[^"]+)"/g),
                                   (match) => match[1]));
  await Promise.all(Array.from(paths, async (path) => {
    try {
      const response = await fetch(path, { credentials: "same-origin" });
      if (cacheable(response)) {
        await cache.put(new URL(path, self.location.origin).href, response);
      }
    } catch (error) {
      // Stored on the next visit online.
    }
  }));
}

self.addEventListener("install", (event) => {
  self.skipWaiting();
  event.waitUntil(storePages());
});
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

function cacheable(response) {
  // A redirect (to the login page, say) or an error page must never replace the plan.
  return response.ok && response.type === "basic" && !response.redirected;
}

async function networkFirst(request, key) {
  const cache = await caches.open(CACHE);
  let response;
  try {
    response = await fetch(request);
  } catch (error) {
    const stored = await cache.match(key, { ignoreVary: true, ignoreSearch: true });
    if (stored) {
      return stored;
    }
    throw error;
  }
  if (cacheable(response)) {
    await cache.put(key, response.clone());
    return response;
  }
  if (response.status >= 500) {
    // Behind a reverse proxy a server that is down answers 502, 503 or 504 instead of failing
    // the request: for the client that is the same as no connection.
    const stored = await cache.match(key, { ignoreVary: true, ignoreSearch: true });
    if (stored) {
      return stored;
    }
  }
  return response;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") {
    return;
  }
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) {
    return;
  }
  if (request.mode === "navigate" && PAGES.includes(url.pathname)) {
    event.respondWith(networkFirst(request, url.origin + url.pathname));
  } else if (url.pathname.startsWith("/static/")) {
    // The stylesheets the plan page uses, so the offline copy stays readable.
    event.respondWith(networkFirst(request, request.url));
  }
});
