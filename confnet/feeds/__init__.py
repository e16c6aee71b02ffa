"""Calendar feeds: a secret personal iCalendar feed per attendee, public conference and track
feeds, and single-session ``.ics`` files (see ``views`` for the routes).

- ``ics``: writes RFC 5545 calendars (the ``icalendar`` library, with VTIMEZONEs).
- ``events``: published sessions as calendar events (same UID everywhere).
- ``sources``: what goes into a personal feed; one entry per kind of commitment.
- ``stamps``: cheap version stamps, so that unchanged feeds answer 304 without rendering.
- ``versions``: a personal feed's version in one query, and its key (a poll reads only that).
- ``services``: turning a feed on, regenerating its URL, reminders; finding a feed by token.
- ``public``: the conference feeds and their in-process cache.
- ``logs``: keeps feed tokens out of request logs.
"""
