// Progressive enhancement only: every page works without this file.
"use strict";

// Ask before destructive actions marked with data-confirm.
document.addEventListener("submit", (event) => {
  const form = event.target;
  const question = form.dataset ? form.dataset.confirm : null;
  if (question && !window.confirm(question)) event.preventDefault();
});

// Move focus to the first invalid field so keyboard and screen-reader users land on the problem.
document.addEventListener("DOMContentLoaded", () => {
  const invalid = document.querySelector("[aria-invalid='true']");
  if (invalid) invalid.focus();
});
