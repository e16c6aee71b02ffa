// Offline, in the page: the status line ("Offline — saved 10:42", "2 changes sent"), stars
// and private notes kept on this phone while offline and sent when the network returns, and a
// clear "needs a connection" for forms the server has to decide. The service worker (sw.js)
// keeps the pages; this file tells it which conference is open. Progressive enhancement only:
// without JavaScript every form posts as usual.
"use strict";

(() => {
  const banner = document.getElementById("offline-status");
  const here = banner ? { ...banner.dataset } : {};
  const DB = "confnet-offline";
  const STORE = "changes";
  const SUMMARY = "confnet-offline-summary"; // what the last sending did, shown after a reload
  const worker = "serviceWorker" in navigator ? navigator.serviceWorker : null;
  let draftForm = null; // the note form showing a draft kept on this phone (restoreDraft)

  // ---- the queue: one entry per star or note ("star|slug|12"), the latest wins ----

  function openDb() {
    return new Promise((resolve, reject) => {
      const request = indexedDB.open(DB, 1);
      request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: "key" });
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }

  async function inStore(mode, work) {
    const db = await openDb();
    return new Promise((resolve, reject) => {
      const transaction = db.transaction(STORE, mode);
      const request = work(transaction.objectStore(STORE));
      transaction.oncomplete = () => {
        db.close();
        resolve(request ? request.result : undefined);
      };
      transaction.onerror = transaction.onabort = () => {
        db.close();
        reject(transaction.error);
      };
    });
  }

  const allChanges = () => inStore("readonly", (store) => store.getAll()).catch(() => []);
  const getChange = (key) => inStore("readonly", (store) => store.get(key)).catch(() => null);
  const putChange = (change) => inStore("readwrite", (store) => store.put(change));
  const dropChange = (key) => inStore("readwrite", (store) => store.delete(key)).catch(() => null);

  // Queued changes wait to be sent; a note that met a newer version stays (status "conflict")
  // until the person merges it on its page.
  const isQueued = (c) => !c.status || c.status === "queued";
  const keyFor = (kind, item) => `${kind}|${here.conference}|${item == null ? "conference" : item}`;

  function change(kind, item, fields) {
    return {
      key: keyFor(kind, item),
      kind,
      item,
      slug: here.conference,
      plan: here.plan,
      viewer: here.viewer,
      queuedAt: Date.now(),
      ...fields,
    };
  }

  // ---- telling people ----

  function clock(ms) {
    const when = new Date(Number(ms));
    const time = when.toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit" });
    if (when.toDateString() === new Date().toDateString()) return time;
    const day = when.toLocaleDateString("en-GB", { weekday: "short", day: "numeric", month: "short" });
    return `${day}, ${time}`;
  }

  function paragraph(text, kind, link) {
    const p = document.createElement("p");
    p.className = kind === "alert" ? "alert" : `flash flash-${kind}`;
    p.append(text);
    if (link) {
      const a = document.createElement(link.href ? "a" : "button");
      if (link.href) a.href = link.href;
      else a.type = "button";
      if (!link.href) a.className = "button small secondary";
      a.textContent = link.text;
      if (link.onclick) a.addEventListener("click", link.onclick);
      p.append(" ", a);
    }
    return p;
  }

  function say(lines) {
    if (!banner) return;
    banner.replaceChildren(...lines);
    banner.hidden = lines.length === 0;
  }

  // A message next to a form (the status line may be far above it).
  function notice(form, text, kind, link) {
    const old = form.previousElementSibling;
    if (old && old.matches("[data-offline-notice]")) old.remove();
    const p = paragraph(text, kind, link);
    p.dataset.offlineNotice = "";
    p.setAttribute("role", kind === "alert" ? "alert" : "status");
    form.before(p);
    return p;
  }

  async function waiting() {
    const changes = await allChanges();
    return changes.filter((c) => c.viewer === here.viewer && isQueued(c)).length;
  }

  async function showOffline() {
    const count = await waiting();
    const saved = here.offlineSaved ? `Offline — saved ${clock(here.offlineSaved)}` : "You're offline";
    const rest = count
      ? ` · ${count} ${count === 1 ? "change" : "changes"} waiting to be sent`
      : here.offlineSaved
        ? ""
        : ". Pages you opened before still open; stars and private notes are sent when you're back.";
    say([paragraph(saved + rest, "info")]);
  }

  function showSummary(summary) {
    const lines = [];
    if (summary.sent) {
      lines.push(paragraph(`${summary.sent} ${summary.sent === 1 ? "change" : "changes"} sent.`, "success"));
    }
    for (const refusal of summary.refused) {
      const line = paragraph(`Not sent: ${refusal.message}`, "error");
      if (refusal.text) {
        // The note's text is not lost: here to copy, until the page is left.
        const more = document.createElement("details");
        const summaryLine = document.createElement("summary");
        const text = document.createElement("pre");
        summaryLine.textContent = "Your text";
        text.textContent = refusal.text;
        Object.assign(text.style, { whiteSpace: "pre-wrap", overflowWrap: "anywhere" });
        more.append(summaryLine, text);
        line.append(more);
      }
      lines.push(line);
    }
    for (const conflict of summary.conflicts) {
      const text = "Your private note changed on another device while you were offline, so your offline version was not saved yet.";
      lines.push(paragraph(text, "error", { href: conflict.page, text: "Compare and merge" }));
    }
    say(lines);
  }

  // ---- the service worker ----

  async function post(message) {
    if (!worker) return;
    try {
      const registration = await worker.ready;
      if (registration.active) registration.active.postMessage(message);
    } catch (error) {
      // No worker: the pages still work online.
    }
  }

  function tellWorker(extra) {
    if (!here.viewer) return;
    const { conference: slug, plan, viewer } = here;
    post({ type: "opened", viewer, slug, plan, ...extra });
  }

  // A script changed something on the server (schedule.js: a star): saved lists are out of date.
  function changed(url) {
    post({ type: "changed", url: new URL(url, location.href).href });
  }

  if (worker) {
    worker.addEventListener("message", (event) => {
      const data = event.data || {};
      if (data.type === "saved" && banner && data.slug === here.conference) {
        banner.dataset.offlineReady = String(data.savedAt); // this conference opens offline now
        banner.dataset.offlineVersion = data.version;
      }
      if (data.type === "viewer") forgetOthers(); // somebody logged out or in
    });
    worker.startMessages();
  }

  // ---- sending what was queued ----

  async function postChanges(url, csrf, list) {
    const changes = list.map((c) =>
      c.kind === "star"
        ? { key: c.key, kind: "star", item: c.item, starred: c.starred }
        : { key: c.key, kind: "note", item: c.item, body: c.body, version: c.version },
    );
    const response = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify({ changes }),
    });
    if (response.status === 400 || response.status === 403) return { results: [], refused: true };
    return response.ok ? response.json() : null;
  }

  // A change the server won't make: said, with a note's text to copy.
  async function refuse(change, message, summary) {
    await dropChange(change.key);
    summary.refused.push({ message, text: change.kind === "note" ? change.body : null });
  }

  async function sendSlug(list, summary) {
    const plan = await fetch(list[0].plan, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then((response) => (response.ok ? response.json() : null));
    if (!plan || plan.viewer !== here.viewer) return [];
    const answer = plan.changes && plan.csrf ? await postChanges(plan.changes, plan.csrf, list) : { refused: true };
    if (!answer) return [];
    if (answer.refused) {
      // No longer a member (or a request the server can't read): nothing here can be made.
      for (const c of list) await refuse(c, "this conference no longer takes your changes.", summary);
      return [];
    }
    for (const result of answer.results) {
      const sent = list.find((c) => c.key === result.key);
      if (result.status === "conflict" && sent) {
        await putChange({ ...sent, status: "conflict" });
        summary.conflicts.push({ page: sent.page });
      } else if (result.status === "refused" && sent) {
        await refuse(sent, result.message, summary);
      } else {
        await dropChange(result.key);
        summary.sent += 1;
      }
    }
    const first = list[0];
    tellWorker({ slug: first.slug, plan: first.plan, force: true, refresh: answer.refresh });
    return answer.refresh;
  }

  let sending = null;
  function flush() {
    if (!sending) sending = send().finally(() => (sending = null));
    return sending;
  }

  async function send() {
    if (!navigator.onLine || !here.viewer) return;
    const bySlug = new Map();
    for (const c of await allChanges()) {
      // Somebody else's changes never leave (nor stay on) a shared phone under this login.
      if (c.viewer !== here.viewer) await dropChange(c.key);
      else if (isQueued(c)) bySlug.set(c.slug, [...(bySlug.get(c.slug) || []), c]);
    }
    if (!bySlug.size) return;
    const summary = { sent: 0, refused: [], conflicts: [] };
    const refresh = [];
    for (const list of bySlug.values()) {
      try {
        refresh.push(...(await sendSlug(list, summary)));
      } catch (error) {
        // The network went again: what is left is sent next time.
      }
    }
    if (!summary.sent && !summary.refused.length && !summary.conflicts.length) return;
    const path = location.pathname + location.search;
    const onThisPage = summary.conflicts.some((c) => c.page === location.pathname);
    if (refresh.includes(path) || onThisPage) {
      sessionStorage.setItem(SUMMARY, JSON.stringify(summary)); // this page is out of date now
      location.reload();
    } else {
      showSummary(summary);
    }
  }

  // ---- stars (schedule.js asks) and private notes ----

  async function queueStar(url, starred) {
    const match = /\/sessions\/(\d+)\/(?:un)?star$/.exec(new URL(url, location.href).pathname);
    if (!match || !here.conference || !here.viewer) return false;
    try {
      await putChange(change("star", Number(match[1]), { starred }));
    } catch (error) {
      return false;
    }
    if (!navigator.onLine) showOffline();
    return true;
  }

  async function pendingStars() {
    const changes = await allChanges();
    return changes.filter((c) => c.kind === "star" && c.viewer === here.viewer && c.slug === here.conference);
  }

  function noteItem(form) {
    return form.dataset.offlineNote ? Number(form.dataset.offlineNote) : null;
  }

  async function queueNote(form) {
    const item = noteItem(form);
    const earlier = await getChange(keyFor("note", item));
    const mine = earlier && earlier.viewer === here.viewer ? earlier : null;
    await putChange(
      change("note", item, {
        body: form.elements.body.value,
        // The version the edit began from: a second offline save continues the same edit.
        version: mine ? mine.version : Number(form.elements.version.value || 0),
        page: location.pathname,
        status: mine ? mine.status : "queued",
      }),
    );
    const text = `Saved on this phone at ${clock(Date.now())}. It will be sent when you're back online.`;
    notice(form, text, "success");
    showOffline();
  }

  function needsConnection(form) {
    const text = "You're offline — this needs a connection. Nothing was sent: try again when you're back online.";
    notice(form, text, "alert");
  }

  // Capture phase: before app.js marks the form as being sent.
  document.addEventListener(
    "submit",
    (event) => {
      const form = event.target;
      if (!(form instanceof HTMLFormElement) || form.method.toLowerCase() !== "post") return;
      if (navigator.onLine) {
        // Saved online, a note replaces the draft this phone kept of it: forget the draft
        // first (once), or it would be sent again later.
        const save = !event.submitter || event.submitter.name === "save";
        if (form === draftForm && save) {
          event.preventDefault();
          event.stopPropagation();
          draftForm = null;
          const submitter = event.submitter;
          dropChange(keyFor("note", noteItem(form))).then(() => form.requestSubmit(submitter || undefined));
        }
        return;
      }
      if (form.matches("[data-star-form]")) return; // schedule.js queues stars
      event.preventDefault();
      event.stopPropagation();
      const submitter = event.submitter;
      if (form.matches("[data-offline-note]") && (!submitter || submitter.name === "save")) {
        queueNote(form).catch(() => needsConnection(form));
      } else {
        needsConnection(form);
      }
    },
    true,
  );

  // A private note page with a draft made offline: show it, or offer the merge after a conflict.
  async function restoreDraft() {
    const form = document.querySelector("form[data-offline-note]");
    if (!form || !here.viewer) return;
    const key = keyFor("note", noteItem(form));
    const draft = await getChange(key);
    if (!draft || draft.viewer !== here.viewer) return;
    draftForm = form;
    if (draft.status !== "conflict") {
      form.elements.body.value = draft.body;
      notice(form, `Not sent yet: saved on this phone at ${clock(draft.queuedAt)}.`, "info");
      return;
    }
    const text = "While you were offline this note changed on another device, so your offline version was not saved. ";
    const compare = async () => {
      form.elements.body.value = draft.body;
      form.elements.version.value = String(draft.version);
      draftForm = null;
      await dropChange(key);
      form.requestSubmit(form.elements.save || undefined); // the server answers with the merge screen
    };
    notice(form, text, "alert", { text: "Compare the two versions", onclick: compare });
  }

  document.querySelectorAll("[data-offline-back]").forEach((button) => {
    if (history.length < 2) return;
    button.hidden = false;
    button.addEventListener("click", () => history.back());
  });

  window.confnetOffline = { queueStar, pendingStars, changed };

  window.addEventListener("offline", showOffline);
  window.addEventListener("online", () => {
    // A saved copy is on screen: offer the current page (sending may reload it anyway).
    const reload = { text: "Show the latest", onclick: () => location.reload() };
    say(here.offlineSaved ? [paragraph("You're back online.", "info", reload)] : []);
    flush();
    tellWorker();
  });

  // Changes queued under another login never stay on a shared phone (nor get sent).
  async function forgetOthers() {
    if (!here.viewer) return;
    for (const c of await allChanges()) if (c.viewer !== here.viewer) await dropChange(c.key);
  }

  const before = sessionStorage.getItem(SUMMARY);
  if (before) {
    sessionStorage.removeItem(SUMMARY);
    showSummary(JSON.parse(before));
  } else if (here.offlineSaved || !navigator.onLine) {
    showOffline();
  }
  forgetOthers().then(restoreDraft);
  if (navigator.onLine) {
    tellWorker();
    flush();
  }
})();
