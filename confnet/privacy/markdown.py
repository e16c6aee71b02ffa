"""A person's data export as Markdown, for reading: the same data as the JSON, section by section.

It reads only the export dict (``confnet.privacy.services.export_person_data``), so both files
always say the same. Times are shown in the conference's timezone where there is a conference,
else in UTC. Free text that people wrote (bios, messages, notes, reasons) is quoted line by line,
so that a heading or a list in someone's text can't break the file's own structure.
"""

from collections.abc import Callable, Iterable
from datetime import datetime

from confnet.timefmt import format_day, to_local

NOT_SHOWN = "someone not shown to you"


def inline(text: str | None) -> str:
    """One line of text (names and titles are never meant to span lines)."""
    return " ".join(str(text or "").split())


def quote(text: str | None) -> list[str]:
    lines = str(text or "").strip().splitlines()
    return [f"> {line}".rstrip() for line in lines] if lines else ["> (empty)"]


class _Clock:
    """Formats the export's ISO times for one reader: in each conference's timezone."""

    def __init__(self, conferences: list[dict]):
        self.zones = {c["slug"]: c["timezone"] for c in conferences}
        self.names = {c["slug"]: c["name"] for c in conferences}

    def at(self, text: str | None, slug: str | None = None) -> str:
        if not text:
            return "—"
        moment = datetime.fromisoformat(text)
        local = to_local(moment, self.zones.get(slug, "UTC"))
        return f"{format_day(local.date())} {local:%Y, %H:%M} {local.tzname()}"

    def conference(self, slug: str | None) -> str:
        return inline(self.names.get(slug, slug or "—"))


def _section(title: str, body: list[str], empty: str = "Nothing here.") -> list[str]:
    while body and not body[-1]:
        body = body[:-1]
    return [f"## {title}", "", *(body or [empty]), ""]


def _bullets(rows: Iterable[str]) -> list[str]:
    return [f"- {row}" for row in rows]


def _account(data: dict, clock: _Clock) -> list[str]:
    account = data["account"]
    lines = [
        f"- Name: {inline(account['name'])}",
        f"- Email: {inline(account['email'])}",
        f"- Account created: {clock.at(account['created_at'])}",
    ]
    if account["site_admin"]:
        lines.append("- You are a site admin.")
    return _section("Account", lines)


def _profile(data: dict, clock: _Clock) -> list[str]:
    profile = data["profile"]
    if profile is None:
        return _section("Profile", [], "You have not filled in a profile.")
    fields = [
        ("Profession", profile["profession"]),
        ("Career stage", profile["career_stage"]),
        ("Specialty", profile["specialty"]),
        ("Sub-specialty", profile["sub_specialty"]),
        ("Organization", profile["organization"]),
        ("City", profile["city"]),
        ("Country", profile["country"]),
        ("Interests", ", ".join(profile["interests"])),
        ("Languages", ", ".join(profile["languages"])),
        ("You offer", ", ".join(profile["offers"])),
        ("You look for", ", ".join(profile["seeks"])),
        ("Contact email", profile["contact"]["email"]),
        ("Phone", profile["contact"]["phone"]),
        ("Links", " ".join(profile["contact"]["links"])),
    ]
    lines = _bullets(f"{label}: {inline(value)}" for label, value in fields if value)
    if profile["bio"]:
        lines += ["", "Bio:", "", *quote(profile["bio"])]
    return _section("Profile", lines, "Your profile is empty.")


def _memberships(data: dict, clock: _Clock) -> list[str]:
    rows = []
    for m in data["memberships"]:
        row = f"{clock.conference(m['conference'])}: {m['role']} since "
        row += f"{clock.at(m['joined_at'], m['conference'])}; profile {m['visibility']}"
        if m["hidden_by_organizers_at"]:
            row += f"; hidden by the organizers since {clock.at(m['hidden_by_organizers_at'])}"
        rows.append(row)
    return _section("Conferences you joined", _bullets(rows))


def _session(row: dict, clock: _Clock) -> str:
    title = inline(row["title"]) or f"session {row['session_id']} (not published)"
    when = clock.at(row["starts_at"], row["conference"]) if row["starts_at"] else ""
    return f"{when} · {title} ({clock.conference(row['conference'])})" if when else title


def _agenda(data: dict, clock: _Clock) -> list[str]:
    rows = [_session(star, clock) for star in data["agenda"]]
    return _section("Your agenda (starred sessions)", _bullets(rows))


def _workshops(data: dict, clock: _Clock) -> list[str]:
    rows = []
    for seat in data["workshops"]:
        state = {
            "confirmed": "confirmed seat",
            "waitlisted": f"waitlist, place {seat['waitlist_place']}",
            "entered": "entered in the lottery",
        }.get(seat["status"], seat["status"])
        if seat["checked_in_at"]:
            state += f", checked in {clock.at(seat['checked_in_at'], seat['conference'])}"
        rows.append(f"{_session(seat, clock)}: {state}")
    return _section("Workshop seats and waitlist places", _bullets(rows))


def _feed(data: dict, clock: _Clock) -> list[str]:
    feed = data["calendar_feed"]
    if feed is None:
        return _section("Calendar feed", [], "You have no calendar feed.")
    minutes = feed["reminder_minutes"]
    lines = [
        f"- On since {clock.at(feed['created_at'])}",
        f"- Current address made {clock.at(feed['address_created_at'])}",
        f"- Reminders: {f'{minutes} minutes before each session' if minutes else 'none'}",
        "- The feed's address is a key to your agenda, so it is not in this download: find it "
        "under Calendar feed in your account.",
    ]
    return _section("Calendar feed", lines)


def _thread(intro: dict, clock: _Clock) -> list[str]:
    lines = []
    for message in intro["messages"]:
        who = "You" if message["sent_by_you"] else inline(intro["with"]) or NOT_SHOWN
        lines += ["", f"{who}, {clock.at(message['sent_at'], intro['conference'])}:", ""]
        lines += quote(message["body"])
    return lines


def _introductions(data: dict, clock: _Clock) -> list[str]:
    lines = []
    for intro in data["introductions"]:
        where = clock.conference(intro["conference"])
        if intro["role"] == "you introduced":
            a, b = (inline(p) or NOT_SHOWN for p in intro["people"])
            head = f"### You introduced {a} and {b} ({where}): {intro['status']}"
        else:
            other = inline(intro["with"]) or NOT_SHOWN
            head = f"### {other} ({where}): {intro['status']}"
        started = clock.at(intro["created_at"], intro["conference"])
        lines += [head, "", f"{intro['role'].capitalize()}, {started}."]
        if intro.get("introduced_by"):
            lines.append(f"Introduced by {inline(intro['introduced_by'])}.")
        if intro["message"]:
            lines += ["", *quote(intro["message"])]
        lines += [*_thread(intro, clock), ""] if intro.get("messages") else [""]
    return _section("Introductions and messages", lines)


def _meetings(data: dict, clock: _Clock) -> list[str]:
    lines = []
    for m in data["meetings"]:
        who, where = inline(m["with"]) or NOT_SHOWN, clock.conference(m["conference"])
        when = clock.at(m["starts_at"], m["conference"])
        lines.append(f"- {when} with {who} at {inline(m['place'])} ({where}): {m['status']}")
        if m["note"]:
            lines.append(f"  - Note: {inline(m['note'])}")
    return _section("Meetings", lines)


def _private_notes(data: dict, clock: _Clock) -> list[str]:
    lines = []
    for note in data["private_notes"]:
        about = "The whole conference" if note["whole_conference"] else _session(note, clock)
        saved = clock.at(note["updated_at"], note["conference"])
        lines += [f"### {about}", "", f"Last saved {saved}.", ""]
        lines += [*quote(note["body"]), ""]
    return _section("Your private notes", lines)


def _revisions(data: dict, clock: _Clock) -> list[str]:
    lines = []
    for rev in data["note_revisions"]:
        head = f"### {_session(rev, clock)}, revision {rev['revision']}"
        hidden = " Hidden by the organizers." if rev["hidden_by_organizers"] else ""
        lines += [head, "", f"Saved {clock.at(rev['saved_at'], rev['conference'])}.{hidden}", ""]
        lines += [*quote(rev["body"]), ""]
    return _section("Shared-note revisions you wrote", lines)


def _simple(title: str, rows: list[dict], line: Callable[[dict], str]) -> list[str]:
    return _section(title, _bullets(line(row) for row in rows))


def _lists(data: dict, clock: _Clock) -> list[str]:
    """The short sections: one line per entry."""

    def where(row: dict) -> str:
        return f"({clock.conference(row['conference'])})"

    return [
        *_simple(
            "People you blocked",
            data["blocks"],
            lambda b: f"{inline(b['name'])}, since {clock.at(b['since'])}",
        ),
        *_simple(
            "Reports you filed",
            data["reports"],
            lambda r: (
                f"About {inline(r['about']) or NOT_SHOWN} {where(r)}, "
                f"{clock.at(r['created_at'], r['conference'])}: {inline(r['reason'])}"
            ),
        ),
        *_simple(
            "Suggestions you set aside",
            data["dismissed_suggestions"],
            lambda d: f"{inline(d['name']) or NOT_SHOWN} {where(d)}",
        ),
        *_simple(
            "Speaker entries linked to your account",
            data["speaker_entries"],
            lambda s: f"{inline(s['name'])} {where(s)}",
        ),
        *_simple(
            "Notifications",
            data["notifications"],
            lambda n: f"{clock.at(n['created_at'])}: {inline(n['text'])}",
        ),
    ]


SECTIONS = (
    _account,
    _profile,
    _memberships,
    _agenda,
    _workshops,
    _feed,
    _introductions,
    _meetings,
    _private_notes,
    _revisions,
    _lists,
)


def render_markdown(data: dict) -> str:
    """The export ``data`` as one Markdown document."""
    clock = _Clock(data["conferences"])
    lines = [
        "# Your data on confnet",
        "",
        f"Everything confnet holds about {inline(data['account']['name'])}, exported "
        f"{clock.at(data['exported_at'])}. The JSON file has the same data for programs.",
        "",
    ]
    for section in SECTIONS:
        lines += section(data, clock)
    return "\n".join(lines).rstrip() + "\n"
