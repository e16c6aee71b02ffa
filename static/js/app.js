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
