"""The "What changed" page: the releases of the published schedule as attendees read them."""

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import raiseload

from confnet.extensions import db
from confnet.models import ChangeKind, Conference, PublishedItem, Release, ReleaseChange

# The order in which a release's changes are listed, most disruptive first after additions.
ORDER = (
    ChangeKind.ADDED,
    ChangeKind.MOVED,
    ChangeKind.ROOM_CHANGED,
    ChangeKind.RENAMED,
    ChangeKind.CANCELLED,
    ChangeKind.RESTORED,
    ChangeKind.UPDATED,
)


@dataclass(frozen=True)
class ChangeLine:
    item_id: int
    title: str  # the title attendees see now
    summary: str  # e.g. "Fri 26 Mar 09:00–09:45 → Sat 27 Mar 10:00–10:45"
    cancelled: bool


@dataclass
class ReleaseSummary:
    release: Release
    groups: list[tuple[ChangeKind, list[ChangeLine]]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len({line.item_id for _, lines in self.groups for line in lines})


def release_history(conference: Conference) -> list[ReleaseSummary]:
    """Every release, newest first, its changes grouped by kind in ``ORDER`` (two queries)."""
    releases = db.session.scalars(
        select(Release)
        .filter_by(conference_id=conference.id)
        .options(raiseload("*"))
        .order_by(Release.number.desc())
    ).all()
    rows = db.session.execute(
        select(
            ReleaseChange.release_id,
            ReleaseChange.kind,
            ReleaseChange.summary,
            PublishedItem.item_id,
            PublishedItem.title,
            PublishedItem.cancelled,
        )
        .join(PublishedItem, PublishedItem.item_id == ReleaseChange.item_id)
        .join(ReleaseChange.release)
        .where(Release.conference_id == conference.id)
        .order_by(PublishedItem.starts_at, PublishedItem.title, ReleaseChange.id)
    )
    grouped: dict[int, dict[ChangeKind, list[ChangeLine]]] = {r.id: {} for r in releases}
    for release_id, kind, summary, item_id, title, cancelled in rows:
        line = ChangeLine(item_id, title, summary, cancelled)
        grouped[release_id].setdefault(kind, []).append(line)
    return [
        ReleaseSummary(
            release,
            [(kind, grouped[release.id][kind]) for kind in ORDER if kind in grouped[release.id]],
        )
        for release in releases
    ]
