// Schedule pages: instant stars and the device's timezone. Progressive enhancement only:
// every star button is a real form submission, and the timezone form is never auto-submitted.
"use strict";

(() => {
  const FAILED = "Couldn't update your agenda. Check your connection and try again.";
  const QUEUED_ON = "You're offline: starred on this phone, and sent when you're back online.";
  const QUEUED_OFF = "You're offline: unstarred on this phone, and sent when you're back online.";
  let hideTimer = null;

  // Tell sighted and screen-reader users alike (the element is a polite live region).
  function say(message) {
    const box = document.getElementById("star-status");
    if (!box) return;
    box.textContent = message;
    box.classList.add("show");
    clearTimeout(hideTimer);
    hideTimer = setTimeout(() => box.classList.remove("show"), 4000);
  }

  const base = (url) => url.replace(/\/(un)?star$/, "");

  // Every button for this session on the page (it can be both in "now" and in the day list).
  function buttonsFor(button) {
    const session = base(button.formAction);
    return [...document.querySelectorAll("button[aria-pressed][formaction]")].filter(
      (b) => base(b.formAction) === session,
    );
  }

  function show(buttons, starred) {
    for (const b of buttons) {
      b.setAttribute("aria-pressed", String(starred));
      b.textContent = starred ? "Starred" : "Star";
      b.formAction = base(b.formAction) + (starred ? "/unstar" : "/star");
    }
  }

  function showCount(buttons, count) {
    for (const b of buttons) {
      const row = b.parentElement;
      if (row.tagName !== "LI") continue;
      let badge = row.querySelector(":scope > small");
      if (!count) {
        if (badge) badge.remove();
        continue;
      }
      if (!badge) {
        badge = document.createElement("small");
        row.append(badge);
      }
      badge.textContent = `${count} ★`;
    }
    const line = document.getElementById("star-count");
    if (line) line.textContent = count ? `In ${count} ${count === 1 ? "agenda" : "agendas"}.` : "";
  }

  document.addEventListener("submit", async (event) => {
    const form = event.target;
    const button = event.submitter;
    if (!form.matches("[data-star-form]") || !button || !button.hasAttribute("aria-pressed")) {
      return;
    }
    event.preventDefault();
    if (button.dataset.busy) return; // a double tap sends one request
    const buttons = buttonsFor(button);
    const was = button.getAttribute("aria-pressed") === "true";
    const url = button.formAction;
    buttons.forEach((b) => (b.dataset.busy = "1"));
    show(buttons, !was); // optimistic: the tap feels instant on slow Wi-Fi
    // The phone is offline: the star is kept on it and sent when the network returns
    // (offline.js). A request that fails while online still reverts, as it always did.
    const offline = window.confnetOffline;
    try {
      if (!navigator.onLine && offline && (await offline.queueStar(url, !was))) {
        say(was ? QUEUED_OFF : QUEUED_ON);
        return;
      }
      const response = await fetch(url, {
        method: "POST",
        body: new FormData(form),
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      const isJson = (response.headers.get("Content-Type") || "").includes("json");
      const data = isJson ? await response.json() : null;
      if (!response.ok || !data || typeof data.starred !== "boolean") {
        throw new Error((data && data.message) || FAILED);
      }
      show(buttons, data.starred);
      showCount(buttons, data.count);
      if (offline) offline.changed(url); // the saved agenda is out of date now
      say(data.starred ? "Added to your agenda." : "Removed from your agenda.");
    } catch (error) {
      show(buttons, was);
      say(error instanceof TypeError ? FAILED : error.message || FAILED);
    } finally {
      buttons.forEach((b) => delete b.dataset.busy);
    }
  });

  // Stars made offline and not sent yet show as made (offline.js keeps them).
  document.addEventListener("DOMContentLoaded", async () => {
    const offline = window.confnetOffline;
    if (!offline) return;
    for (const change of await offline.pendingStars()) {
      const session = `/sessions/${change.item}`;
      const buttons = [...document.querySelectorAll("button[aria-pressed][formaction]")].filter((b) =>
        base(new URL(b.formAction).pathname).endsWith(session),
      );
      show(buttons, change.starred);
    }
  });

  // Offer the device's timezone in the picker; the person still chooses to apply it.
  document.addEventListener("DOMContentLoaded", () => {
    const select = document.getElementById("tz");
    if (!select || select.value !== "") return;
    let zone = null;
    try {
      zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    } catch (error) {
      return;
    }
    const known = [...select.options].some((option) => option.value === zone);
    if (!zone || zone === select.dataset.conferenceTz || !known) return;
    select.value = zone;
    const hint = document.getElementById("tz-hint");
    if (hint) {
      hint.textContent = `Your device's timezone (${zone.replace(/_/g, " ")}) is selected: press “Show the programme” to use it.`;
    }
  });
})();
