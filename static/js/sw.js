// confnet's service worker, served as /sw.js so that its scope is the whole site.
//
// - Pages: network first. Without a network, the copy saved on this phone is shown, marked
//   with the time it was saved (the banner's data-offline-saved, read by offline.js); a page
//   never saved gets the "not saved on this phone" page, a form the "needs a connection" one.
// - Static files (content-hashed names): cache first; only the current ones are kept.
// - Conferences: when a page of one is opened (offline.js posts "opened"), its plan
//   (/c/<slug>/offline.json) names the pages to keep for this viewer, and the copy's name
//   holds the viewer and the conference's version (its release). At most once a minute a small
//   check (/c/<slug>/offline/check) asks whether the copy is still the one to hold. A new
//   version is fetched in full into a new copy, checked again, and only then replaces the old
//   copy: offline pages never mix two releases. A page seen online (a page of the plan, or any
//   session page) goes into the copy only once a check made after it found the same version.
// - Viewers: every page names its viewer (X-Confnet-Viewer); when another viewer (or nobody,
//   after logging out) shows up, every page kept for the previous one is deleted.
"use strict";

const SCHEMA = 1;
const STATIC = "confnet-static";
const META = "confnet-meta";
const PAGES = "confnet-pages|";
const META_KEY = "/__confnet/offline-meta";
const CHECK_EVERY = 60 * 1000; // ask for a conference's version at most once a minute (the
// plan's check_every, from OFFLINE_CHECK_SECONDS, overrides it)
const REFRESH_EVERY = 30 * 60 * 1000; // and refetch the personal lists at least this often
const PARALLEL = 3; // pages fetched at once: gentle on the venue Wi-Fi and on the server
const HASHED = /\.[0-9a-f]{8}\.[A-Za-z0-9]+$/;
const CONFERENCE = /^\/c\/([^/]+)\//;
const COPY = { "X-Confnet-Offline-Copy": "1" }; // a page fetched to keep, not to show now

let metaReady = null;
const pending = new Map(); // path -> a page seen online, waiting for a version check
const running = new Map(); // slug -> the sync in progress

// ---- what this phone keeps: {schema, viewer, fallbacks, conferences: {slug: copy}} ----

function loadMeta() {
  if (!metaReady) {
    metaReady = (async () => {
      const stored = await caches.match(META_KEY, { cacheName: META });
      const meta = stored ? await stored.json() : null;
      if (meta && meta.schema === SCHEMA) return meta;
      await dropPages(() => true);
      return { schema: SCHEMA, viewer: null, fallbacks: null, conferences: {} };
    })();
  }
  return metaReady;
}

async function saveMeta() {
  const meta = await loadMeta();
  const cache = await caches.open(META);
  const body = JSON.stringify(meta);
  await cache.put(META_KEY, new Response(body, { headers: { "Content-Type": "application/json" } }));
}

async function dropPages(drop) {
  for (const name of await caches.keys()) {
    if (name.startsWith(PAGES) && drop(name.split("|"))) await caches.delete(name);
  }
}

function pathOf(url) {
  const parsed = new URL(url, self.location.origin);
  return parsed.pathname + parsed.search;
}

function slugOf(path) {
  const match = CONFERENCE.exec(path);
  return match ? decodeURIComponent(match[1]) : null;
}

function isHtml(response) {
  return (response.headers.get("Content-Type") || "").startsWith("text/html");
}

// A page's messages ("Session saved.") are for the moment it was seen, not for its copy.
const FLASHES = /<div class="flashes" role="status">[\s\S]*?<\/div>/;

// A copy of a response to keep: decoded body, its type, who it was for and when it was saved.
async function keepable(response) {
  const headers = new Headers({
    "Content-Type": response.headers.get("Content-Type") || "text/html; charset=utf-8",
    "X-Confnet-Saved": String(Date.now()),
  });
  const viewer = response.headers.get("X-Confnet-Viewer");
  if (viewer) headers.set("X-Confnet-Viewer", viewer);
  const body = isHtml(response) ? (await response.text()).replace(FLASHES, "") : await response.blob();
  return new Response(body, { status: 200, headers });
}

async function tell(message) {
  const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  for (const client of windows) client.postMessage(message);
}

// Another viewer (or nobody) uses this browser now: nothing kept for the previous one stays.
async function adoptViewer(viewer) {
  const meta = await loadMeta();
  if (!viewer || meta.viewer === viewer) return;
  meta.viewer = viewer;
  for (const [slug, copy] of Object.entries(meta.conferences)) {
    if (copy.viewer !== viewer) delete meta.conferences[slug];
  }
  pending.clear();
  await saveMeta();
  await dropPages((parts) => parts[2] !== viewer);
  await tell({ type: "viewer", viewer });
}

// ---- fetching ----

async function getPlan(url) {
  try {
    const response = await fetch(url, {
      credentials: "same-origin",
      cache: "no-store",
      headers: { Accept: "application/json" },
    });
    return response.ok ? await response.json() : null;
  } catch (error) {
    return null;
  }
}

// Fetch ``urls`` a few at a time, handing each page for ``viewer`` to ``take``. False when
// the network failed (or the viewer changed) on the way: the caller keeps what it had.
async function fetchPages(urls, viewer, take) {
  let next = 0;
  let ok = true;
  async function worker() {
    while (ok && next < urls.length) {
      const url = urls[next++];
      try {
        // Marked as a copy: the server leaves the person's pending messages for their own page.
        const response = await fetch(url, { credentials: "same-origin", cache: "no-store", headers: COPY });
        const who = response.headers.get("X-Confnet-Viewer");
        if (who && who !== viewer) {
          ok = false; // logged out or in meanwhile: these pages are not the plan's viewer's
        } else if (response.ok && !response.redirected && isHtml(response)) {
          await take(url, await keepable(response));
        }
      } catch (error) {
        ok = false;
      }
    }
  }
  await Promise.all(Array.from({ length: PARALLEL }, worker));
  return ok;
}

async function keepAssets(plan) {
  const meta = await loadMeta();
  const cache = await caches.open(STATIC);
  const fallbacks = Object.values(plan.fallbacks);
  const wanted = new Set([...plan.assets, ...fallbacks]);
  const have = new Set();
  for (const request of await cache.keys()) {
    const path = pathOf(request.url);
    if (wanted.has(path)) have.add(path);
    else await cache.delete(request);
  }
  const missing = plan.assets.filter((url) => !have.has(url));
  // The fallback pages name the current stylesheet: fetched again when the assets change.
  const fresh = missing.length > 0 || fallbacks.some((url) => !have.has(url));
  const urls = fresh ? [...missing, ...fallbacks] : missing;
  await Promise.all(
    urls.map(async (url) => {
      try {
        const response = await fetch(url, { credentials: "same-origin", headers: COPY });
        if (response.ok) await cache.put(url, fallbacks.includes(url) ? await keepable(response) : response);
      } catch (error) {
        // Offline again: the next sync tries once more.
      }
    }),
  );
  meta.fallbacks = plan.fallbacks;
}

// ---- keeping a conference ----

const VISITED_MAX = 100; // session pages opened online, kept beyond the plan's own list

async function getCheck(url) {
  const answer = await getPlan(url);
  return answer ? answer.cache : null;
}

function sync(slug, planUrl, options) {
  const before = running.get(slug) || Promise.resolve();
  const run = before.then(() => runSync(slug, planUrl, options)).catch(() => undefined);
  running.set(slug, run);
  run.then(() => running.get(slug) === run && running.delete(slug));
  return run;
}

async function runSync(slug, planUrl, { force = false, refresh = [] } = {}) {
  const meta = await loadMeta();
  const copy = meta.conferences[slug];
  const every = copy && copy.checkEvery != null ? copy.checkEvery : CHECK_EVERY;
  if (copy && Date.now() - copy.checkedAt < every && !force) return announce(slug);
  const checked = Date.now();
  const due = copy && (force || copy.dirty || checked - copy.refreshedAt > REFRESH_EVERY);
  if (copy && !due) {
    // Most visits: one small request says whether the copy is still the one to hold.
    const cache = await getCheck(copy.checkUrl);
    if (!cache) return announce(slug);
    if (cache === copy.cache) {
      await promote(slug, copy, checked);
      copy.checkedAt = checked;
      await saveMeta();
      return announce(slug);
    }
  }
  const plan = await getPlan(planUrl);
  if (!plan) return announce(slug);
  await adoptViewer(plan.viewer);
  await keepAssets(plan);
  const current = meta.conferences[slug];
  if (current && current.cache === plan.cache) {
    await update(slug, plan, current, { refresh, checked });
  } else if (current && current.viewer === plan.viewer) {
    // A new version: every phone refetches its pages, so they spread out over a little while
    // (the plan's "spread", in seconds); the old copy serves meanwhile.
    await new Promise((resolve) => setTimeout(resolve, Math.random() * plan.spread * 1000));
    const latest = await getPlan(planUrl);
    if (latest) await build(slug, planUrl, latest, current.visited || [], 2);
  } else {
    await build(slug, planUrl, plan, [], 2);
  }
  return announce(slug);
}

// A new copy (first visit, new version, new viewer): every page, checked, then swapped in.
async function build(slug, planUrl, plan, visited, attempts) {
  const meta = await loadMeta();
  const cache = await caches.open(plan.cache);
  const have = new Set((await cache.keys()).map((request) => pathOf(request.url)));
  const wanted = [...new Set([...plan.pages, ...visited])];
  const missing = wanted.filter((url) => !have.has(url));
  // Pages go in as they come: a build cut short by the network resumes where it stopped.
  const complete = await fetchPages(missing, plan.viewer, (url, response) => cache.put(url, response));
  if (!complete) return;
  const again = await getCheck(plan.check);
  if (!again) return;
  if (again !== plan.cache) {
    // Published while fetching: this copy may mix two versions, so it goes.
    await caches.delete(plan.cache);
    const latest = attempts > 1 ? await getPlan(planUrl) : null;
    if (latest) await build(slug, planUrl, latest, visited, attempts - 1);
    return;
  }
  await prune(cache, wanted);
  const now = Date.now();
  meta.conferences[slug] = {
    slug,
    planUrl,
    checkUrl: plan.check,
    cache: plan.cache,
    viewer: plan.viewer,
    version: plan.version,
    checkEvery: plan.check_every * 1000,
    pages: plan.pages,
    personal: plan.personal,
    sessions: plan.sessions,
    visited: visited.filter((url) => !plan.pages.includes(url)),
    since: now,
    savedAt: now,
    checkedAt: now,
    refreshedAt: now,
    dirty: false,
    stale: [],
  };
  for (const [path, entry] of pending) if (entry.slug === slug) pending.delete(path);
  await saveMeta();
  await dropPages((parts) => parts[1] === slug && parts.join("|") !== plan.cache);
}

// Pages seen online before a check that found the copy's version: they are of that version.
async function promote(slug, copy, checked) {
  const cache = await caches.open(copy.cache);
  for (const [path, entry] of pending) {
    if (entry.slug !== slug || entry.cache !== copy.cache || entry.ended >= checked) continue;
    await cache.put(path, entry.response);
    pending.delete(path);
    if (!copy.pages.includes(path)) {
      copy.visited = [...(copy.visited || []).filter((url) => url !== path), path];
      while (copy.visited.length > VISITED_MAX) await cache.delete(copy.visited.shift());
    }
  }
}

// The same version: promote the pages seen online, fetch what is missing, and refresh the
// personal lists when something was changed (or every REFRESH_EVERY).
async function update(slug, plan, copy, { refresh, checked }) {
  await promote(slug, copy, checked);
  const cache = await caches.open(copy.cache);
  const have = new Set((await cache.keys()).map((request) => pathOf(request.url)));
  const asked = [...refresh, ...(copy.stale || [])].filter((url) => plan.pages.includes(url));
  const urls = [...new Set([...plan.pages.filter((url) => !have.has(url)), ...plan.personal, ...asked])];
  const fetched = [];
  const complete = await fetchPages(urls, plan.viewer, async (url, response) => {
    fetched.push([url, response]);
  });
  if (!complete) return;
  const again = await getCheck(plan.check);
  if (!again) return;
  if (again !== copy.cache) return; // a new version: the next check builds it
  for (const [url, response] of fetched) await cache.put(url, response);
  const visited = (copy.visited || []).filter((url) => !plan.pages.includes(url));
  await prune(cache, [...plan.pages, ...visited]);
  Object.assign(copy, { pages: plan.pages, personal: plan.personal, visited, checkedAt: checked });
  Object.assign(copy, { dirty: false, stale: [], refreshedAt: Date.now(), savedAt: Date.now() });
  copy.checkEvery = plan.check_every * 1000;
  await saveMeta();
}

// Pages no longer in the plan (a connection that ended, a note deleted) are not kept.
async function prune(cache, pages) {
  const wanted = new Set(pages);
  for (const request of await cache.keys()) {
    if (!wanted.has(pathOf(request.url))) await cache.delete(request);
  }
}

async function announce(slug) {
  const meta = await loadMeta();
  const copy = meta.conferences[slug];
  if (copy) await tell({ type: "saved", slug, savedAt: copy.savedAt, version: copy.version });
}

// ---- answering requests ----

async function savedPage(url) {
  const meta = await loadMeta();
  const path = pathOf(url);
  const slug = slugOf(new URL(url).pathname);
  const copies = Object.values(meta.conferences)
    .filter((copy) => copy.viewer === meta.viewer && (!slug || copy.slug === slug))
    .sort((a, b) => b.savedAt - a.savedAt);
  for (const copy of copies) {
    const hit = await caches.match(path, { cacheName: copy.cache, ignoreVary: true });
    if (hit) {
      const saved = hit.headers.get("X-Confnet-Saved") || "";
      const html = (await hit.text()).replace('data-offline-saved=""', `data-offline-saved="${saved}"`);
      return new Response(html, { headers: { "Content-Type": "text/html; charset=utf-8" } });
    }
  }
  return null;
}

async function fallback(kind) {
  const meta = await loadMeta();
  const url = meta.fallbacks && meta.fallbacks[kind];
  const hit = url && (await caches.match(url, { cacheName: STATIC, ignoreVary: true }));
  if (!hit) return Response.error();
  // 200, not 503: the page explains itself, and a 503 would read as a failure in the console.
  return new Response(await hit.blob(), {
    headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" },
  });
}

async function page(request, started) {
  try {
    const response = await fetch(request);
    const kept = seen(request.url, response.clone(), started).catch(() => undefined);
    return { response, seen: kept };
  } catch (error) {
    return { response: (await savedPage(request.url)) || (await fallback("page")) };
  }
}

// A page came from the network: learn its viewer, and hold it for the conference's copy.
async function seen(url, response, started) {
  if (!response.ok || response.type !== "basic" || !isHtml(response)) return;
  const viewer = response.headers.get("X-Confnet-Viewer");
  if (!viewer) return;
  await adoptViewer(viewer);
  const meta = await loadMeta();
  const path = pathOf(url);
  const slug = slugOf(new URL(url).pathname);
  const copy = slug && meta.conferences[slug];
  if (!copy || copy.viewer !== viewer || copy.since >= started) return;
  // A page of the plan, or a session page the viewer opened (kept too, up to VISITED_MAX).
  const prefix = copy.sessions || "";
  const session = prefix !== "" && path.startsWith(prefix) && /^\d+$/.test(path.slice(prefix.length));
  if (copy.pages.includes(path) || session) {
    pending.set(path, { slug, cache: copy.cache, ended: Date.now(), response: await keepable(response) });
  }
}

// A form or a star went to the server: the conference's personal pages are refreshed at the
// next version check (at most once a minute, however many stars are tapped meanwhile).
async function changed(url) {
  const meta = await loadMeta();
  const path = new URL(url).pathname;
  const copy = meta.conferences[slugOf(path)];
  if (!copy) return;
  copy.dirty = true;
  const parent = path.replace(/\/[^/]+$/, "");
  copy.stale = [...new Set([...(copy.stale || []), path, parent])].slice(-50);
  await saveMeta();
}

async function send(request) {
  const url = request.url;
  try {
    const response = await fetch(request);
    if (response.ok || response.type === "opaqueredirect") await changed(url).catch(() => undefined);
    return response;
  } catch (error) {
    return fallback("action");
  }
}

async function fromStatic(request) {
  const hashed = HASHED.test(new URL(request.url).pathname);
  const hit = await caches.match(request, { cacheName: STATIC, ignoreVary: true });
  if (hit && hashed) return hit;
  try {
    const response = await fetch(request);
    if (response.ok && hashed) {
      const copy = response.clone();
      caches.open(STATIC).then((cache) => cache.put(request, copy)).catch(() => undefined);
    }
    return response;
  } catch (error) {
    if (hit) return hit;
    throw error;
  }
}

self.addEventListener("install", () => self.skipWaiting());

self.addEventListener("activate", (event) => {
  event.waitUntil(loadMeta().then(() => self.clients.claim()));
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method !== "GET") {
    // Forms: "needs a connection" without a network. Scripts' own requests (a star) go
    // straight to the network, and the page tells the worker when one changed something.
    if (request.mode === "navigate") event.respondWith(send(request));
  } else if (url.pathname.startsWith("/static/")) {
    event.respondWith(fromStatic(request));
  } else if (request.mode === "navigate") {
    const answer = page(request, Date.now());
    event.respondWith(answer.then((result) => result.response));
    event.waitUntil(answer.then((result) => result.seen));
  }
});

self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type === "changed" && data.url) event.waitUntil(changed(data.url).catch(() => undefined));
  if (data.type !== "opened") return;
  const work = (async () => {
    await adoptViewer(data.viewer);
    if (data.slug && data.plan) {
      await sync(data.slug, data.plan, { force: Boolean(data.force), refresh: data.refresh || [] });
    }
  })();
  event.waitUntil(work.catch(() => undefined));
});
