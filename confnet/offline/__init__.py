"""Installable and offline-first: the web app manifests, the service worker (static/js/sw.js,
served from the root scope), the list of pages a phone keeps for a conference, and the changes
queued offline (stars, private notes) that the phone sends back when the network returns.

The icons in static/img/icons/ are rendered from static/img/icon.svg (the maskable one keeps
the mark inside the central safe zone on a full-bleed background)."""
