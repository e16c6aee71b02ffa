"""The changes a phone made offline (stars, private notes), applied when they come back: each
through the same service as online, each on its own, and a private note that changed on another
device meanwhile answered as a conflict (nothing saved; the person merges, as with any note)."""

from dataclasses import dataclass
from datetime import datetime

from confnet.errors import DomainError
from confnet.extensions import db
from confnet.models import Conference, User
from confnet.notes.private import PrivateConflict, save_private_note
from confnet.schedule.services import find_published, star_session, unstar_session


@dataclass(frozen=True)
class Change:
    """One change made offline: a star (``starred`` is the state wanted) or a private note
    (``item_id`` None: the conference's free note) with the version its edit began from."""

    key: str
    kind: str  # "star" or "note"
    item_id: int | None
    starred: bool = False
    body: str = ""
    version: int = 0


@dataclass(frozen=True)
class Outcome:
    """What became of a change: "done", "unchanged", "conflict" (a private note changed on
    another device since the edit began: nothing saved, the person merges) or "refused"."""

    key: str
    status: str
    message: str
    item_id: int | None = None


def apply_changes(
    user: User, conference: Conference, changes: list[Change], now: datetime
) -> list[Outcome]:
    """Apply ``changes`` in order, each on its own: a refused or conflicting one leaves the
    others made. The caller has checked that ``user`` may star and keep private notes here.
    Flushes; the caller commits."""
    outcomes = []
    for change in changes:
        try:
            with db.session.begin_nested():  # a failed change undoes itself only
                outcomes.append(_apply(user, conference, change, now))
        except PrivateConflict:
            message = "This note changed on another device while you were offline."
            outcomes.append(Outcome(change.key, "conflict", message, change.item_id))
        except DomainError as err:
            outcomes.append(Outcome(change.key, "refused", err.message, change.item_id))
    return outcomes


def _apply(user: User, conference: Conference, change: Change, now: datetime) -> Outcome:
    item = None
    if change.item_id is not None:
        item = find_published(conference, change.item_id)
        if item is None:
            raise DomainError("That session is no longer in the programme.")
    done = lambda status, message: Outcome(change.key, status, message, change.item_id)  # noqa: E731
    if change.kind == "star":
        if change.starred:
            star_session(user, item)
            return done("done", f"Added “{item.title}” to your agenda.")
        unstar_session(user, item)
        return done("done", f"Removed “{item.title}” from your agenda.")
    saved = save_private_note(user, conference, item, change.body, version=change.version, now=now)
    where = f"“{item.title}”" if item else "the whole conference"
    if not saved:
        return done("unchanged", f"Your note on {where} was up to date.")
    return done("done", f"Saved your note on {where}.")
