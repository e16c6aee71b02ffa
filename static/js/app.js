// Progressive enhancement only: every page works without this file.
"use strict";

// Ask before destructive actions marked with data-confirm. A form that is being sent is not sent
// again: a second tap on a slow network would post the same message or request twice.
document.addEventListener("submit", (event) => {
  const form = event.target;
  const question = form.dataset ? form.dataset.confirm : null;
  if (question && !window.confirm(question)) {
    event.preventDefault();
    return;
  }
  if ((form.method || "").toLowerCase() !== "post") return;
  if (form.dataset.sending) {
    event.preventDefault();
    return;
  }
  form.dataset.sending = "1";
  // Going back to the page (bfcache) must leave the form usable again.
  window.addEventListener("pageshow", () => delete form.dataset.sending, { once: true });
});

// Move focus to the first invalid field so keyboard and screen-reader users land on the problem.
document.addEventListener("DOMContentLoaded", () => {
  const invalid = document.querySelector("[aria-invalid='true']");
  if (invalid) invalid.focus();
});

// Offline-first: the service worker keeps the conferences a person opened (static/js/sw.js;
// offline.js does the rest). Browsers allow it on HTTPS and on 127.0.0.1 only.
(() => {
  const status = document.getElementById("offline-status");
  const url = status ? status.dataset.worker : null;
  if (!url || !("serviceWorker" in navigator) || !window.isSecureContext) return;
  navigator.serviceWorker.register(url, { scope: "/" }).catch(() => {
    // Refused (private mode, storage full): everything still works online.
  });
})();
