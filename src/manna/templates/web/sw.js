// Manna's service worker (release {{ version }}): pages for reading offline.
//
// - The site's own files (styles, scripts, the offline page) are kept when it installs.
// - Every reading or practice page opened (KEPT) is fetched from the network first and
//   kept; offline, the kept copy is shown, else the offline page. Only the last MOST pages
//   of each kind are kept.
// - Today's devotion and the last seven days' are fetched and kept when a page opens (at
//   most once an hour), as the reader sees them (their depth): /offline/recent.json names them.
// - Whose a page is: one served to a signed-in reader carries Manna-Owner and is kept in
//   that account's own cache, shown offline only while that account is the last one seen
//   here. Signing out deletes it; another account appearing deletes every other account's.
"use strict";

const VERSION = "{{ version }}";
const SHELL = "manna-shell-" + VERSION;
const PUBLIC = "manna-pages";
const PRIVATE = "manna-private-"; // + the account's mark
const META = "manna-meta";
const SHELL_FILES = {{ shell|safe }};
const OFFLINE = "{{ offline }}";
const RECENT = "{{ recent }}";
const SIGNOUT = "{{ signout }}";
const MOST = 60;
// The pages kept: reading and practice. Never an account's settings, an email's link with
// its token (a subscription's preferences), the desk, moderation or the admin.
const KEPT = ["/devotions/", "/bible/", "/practice/", "/archive/", "/series/", "/tags/", "/scripture/"];
let signedOut = 0; // when this worker last saw a sign-out: a page asked for before is not kept
const HOUR = 3600 * 1000;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(SHELL)
      .then((cache) =>
        // Without cookies: the shell is the same for everyone (no name in its header).
        cache.addAll(SHELL_FILES.map((url) => new Request(url, { credentials: "omit" })))
      )
      .then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(
          names
            .filter((name) => name.startsWith("manna-shell-") && name !== SHELL)
            .map((name) => caches.delete(name))
        )
      )
      .then(() => self.clients.claim())
  );
});

// --- whose pages are shown -------------------------------------------------------------
async function lastOwner() {
  const meta = await caches.open(META);
  const found = await meta.match("/__owner");
  return found ? found.text() : "";
}
async function setOwner(owner) {
  const meta = await caches.open(META);
  await meta.put("/__owner", new Response(owner));
  // Another account here: every other account's pages go.
  const names = await caches.keys();
  await Promise.all(
    names
      .filter((name) => name.startsWith(PRIVATE) && name !== PRIVATE + owner)
      .map((name) => caches.delete(name))
  );
}
async function forgetPrivate() {
  signedOut = Date.now();
  const names = await caches.keys();
  await Promise.all(names.filter((n) => n.startsWith(PRIVATE)).map((n) => caches.delete(n)));
  const meta = await caches.open(META);
  await meta.delete("/__owner");
}

// --- keeping and finding pages ------------------------------------------------------------
function keeps(url) {
  const path = new URL(url).pathname;
  return path === "/" || KEPT.some((prefix) => path.startsWith(prefix));
}

async function keep(request, response, began) {
  if (!keeps(request.url)) return;
  const type = response.headers.get("Content-Type") || "";
  if (!type.startsWith("text/html")) return;
  const owner = response.headers.get("Manna-Owner") || "";
  if (owner && began <= signedOut) return; // asked for before a sign-out: not kept
  const cacheControl = response.headers.get("Cache-Control") || "";
  if (!response.ok || response.redirected || response.type !== "basic") return;
  if (cacheControl.includes("no-store")) return;
  if (owner && owner !== (await lastOwner())) await setOwner(owner);
  const cache = await caches.open(owner ? PRIVATE + owner : PUBLIC);
  await cache.put(request, response);
  const keys = await cache.keys();
  for (const old of keys.slice(0, Math.max(0, keys.length - MOST))) await cache.delete(old);
}

async function kept(request) {
  const owner = await lastOwner();
  const names = owner ? [PRIVATE + owner, PUBLIC] : [PUBLIC];
  for (const ignoreSearch of [false, true]) {
    for (const name of names) {
      const cache = await caches.open(name);
      const found = await cache.match(request, { ignoreSearch, ignoreVary: true });
      if (found) return found;
    }
  }
  return null;
}

async function page(event) {
  try {
    const began = Date.now();
    const response = await fetch(event.request);
    event.waitUntil(keep(event.request, response.clone(), began));
    return response;
  } catch (offline) {
    return (await kept(event.request)) || (await caches.match(OFFLINE)) || Response.error();
  }
}

// Signing out: the account's pages go before and again once the server has signed it out
// (a page asked for meanwhile may still have been the account's).
async function signOut(request) {
  await forgetPrivate();
  try {
    return await fetch(request);
  } finally {
    await forgetPrivate();
  }
}

async function shellFile(request) {
  const found = await caches.match(request);
  if (found) return found;
  const response = await fetch(request);
  if (response.ok) (await caches.open(SHELL)).put(request, response.clone());
  return response;
}

async function keepRecent() {
  const meta = await caches.open(META);
  const last = await meta.match("/__recent");
  if (last && Date.now() - Number(await last.text()) < HOUR) return;
  await meta.put("/__recent", new Response(String(Date.now())));
  const answer = await fetch(RECENT, { credentials: "same-origin" });
  if (!answer.ok) return;
  const { urls } = await answer.json();
  for (const url of urls) {
    const request = new Request(url, { credentials: "same-origin" });
    const began = Date.now();
    const response = await fetch(request);
    await keep(request, response, began);
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === "POST" && url.pathname === SIGNOUT) {
    event.respondWith(signOut(request));
    return;
  }
  if (request.method !== "GET") return;
  if (SHELL_FILES.includes(url.pathname)) {
    event.respondWith(shellFile(request));
    return;
  }
  if (request.mode === "navigate") {
    event.respondWith(page(event));
    event.waitUntil(keepRecent().catch(() => {}));
  }
});

self.addEventListener("message", (event) => {
  if (event.data === "signed-out") event.waitUntil(forgetPrivate());
});
