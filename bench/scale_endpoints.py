"""The endpoints of the scale scenario, their row labels and issue 8's targets.

Kept apart from the locustfile so that the orchestrator never imports locust (gevent).
"""

# key -> the request label in locust and in the table
LABELS = {
    "schedule-day": "GET schedule day page",
    "session": "GET session page",
    "agenda": "GET my agenda",
    "feed-200": "GET personal feed (200)",
    "feed-304": "GET personal feed (304)",
    "conference-feed": "GET conference feed .ics",
    "schedule-json": "GET schedule.json",
    "directory": "GET directory search",
    "suggestions": "GET match suggestions",
    "note": "GET shared note page",
    "note-save": "POST shared note save",
}
# Reached without a log-in (the feeds are public or opened by their token).
ANONYMOUS = frozenset({"feed-200", "feed-304", "conference-feed", "schedule-json"})
# key -> (minimum share of the /livez floor's req/s, p95 limit in ms or None). An endpoint
# with a p95 limit must also run a fixed number of SQL queries.
TARGETS = {
    "feed-200": (0.30, None),
    "feed-304": (0.70, None),
    "conference-feed": (0.30, None),
    "schedule-json": (0.30, None),
    "schedule-day": (0.15, 100),
    "session": (0.15, 100),
    "agenda": (0.15, 100),
    "directory": (0.15, 100),
    "suggestions": (0.15, 100),
}
SEARCHES = ("cardiology", "sepsis", "hospital 12", "nursing", "attendee 004", "oncology")
