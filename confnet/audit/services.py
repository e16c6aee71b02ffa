"""Writing and reading the audit log (``confnet.models.audit``).

``record_action`` is called by the services that act on people (hiding a profile, moving a
seat, restoring or hiding a note revision), inside their transaction: the entry commits or
rolls back with the action itself. ``details`` must never name a person (they are named through
``actor_id`` and ``subject_id``, which deleting an account sets to NULL), so that the log keeps
what happened without keeping the personal data of someone who left. Services flush; the
caller commits.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import aliased

from confnet.database import utcnow
from confnet.extensions import db
from confnet.models import AuditAction, AuditEntry, Conference, User

PAGE_SIZE = 50


def record_action(
    action: AuditAction,
    *,
    conference_id: int,
    actor: User,
    subject_id: int | None,
    details: str = "",
    now: datetime | None = None,
) -> AuditEntry:
    """Add an entry: ``actor`` did ``action`` to the person ``subject_id`` in the conference
    (``now``, by default the present). Flushes."""
    entry = AuditEntry(
        conference_id=conference_id,
        actor_id=actor.id,
        subject_id=subject_id,
        action=action,
        details=details,
        created_at=now or utcnow(),
    )
    db.session.add(entry)
    db.session.flush()
    return entry


@dataclass(frozen=True)
class LogRow:
    """An entry with the names of its actor and subject (None: the account was deleted)."""

    entry: AuditEntry
    actor_name: str | None
    subject_name: str | None


@dataclass(frozen=True)
class LogPage:
    """Up to ``PAGE_SIZE`` entries, newest first; ``older`` is the ``before`` of the next page
    (None on the last one)."""

    rows: list[LogRow]
    older: int | None


def log_page(conference: Conference, *, before: int | None = None) -> LogPage:
    """The conference's entries older than entry ``before`` (all when None), newest first: one
    query, whatever the page holds."""
    actor, subject = aliased(User), aliased(User)
    query = (
        select(AuditEntry, actor.name, subject.name)
        .outerjoin(actor, actor.id == AuditEntry.actor_id)
        .outerjoin(subject, subject.id == AuditEntry.subject_id)
        .where(AuditEntry.conference_id == conference.id)
        .order_by(AuditEntry.id.desc())
        .limit(PAGE_SIZE + 1)  # one more tells whether there is an older page
    )
    if before is not None:
        query = query.where(AuditEntry.id < before)
    rows = [LogRow(*row) for row in db.session.execute(query)]
    older = rows[PAGE_SIZE - 1].entry.id if len(rows) > PAGE_SIZE else None
    return LogPage(rows[:PAGE_SIZE], older)
