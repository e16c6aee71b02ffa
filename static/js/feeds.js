// Calendar page: a "Copy" button for the feed address. Progressive enhancement only: without
// JavaScript the address is still there to select in its read-only field.
"use strict";

(() => {
  for (const button of document.querySelectorAll("button[data-copy]")) {
    const field = document.getElementById(button.dataset.copy);
    const status = document.getElementById("copy-status");
    if (!field) continue;
    button.hidden = false;
    field.addEventListener("focus", () => field.select());

    const say = (message) => {
      if (status) status.textContent = message;
    };

    button.addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(field.value);
        say("Copied. Paste it into your calendar app.");
      } catch {
        // No clipboard access (older browsers, http): select it for the person to copy.
        field.focus();
        field.select();
        say("Selected: copy it with your device's Copy command.");
      }
    });
  }
})();
