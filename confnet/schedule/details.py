"""What the session page shows of a published item besides the item itself: its speakers as
published, its links and its release history, read in one query.

The page's shared parts are cached per version of the programme (``confnet.schedule.
sessionpage``), so this runs on a version's first view of each session; a conference has a
thousand, and after a release every one of them is a first view again.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, cast, literal_column, null, or_, select, union_all

from confnet.database import UTCDateTime
from confnet.extensions import db
from confnet.models import ChangeKind, Conference, ItemLink, PublishedItem, Release, ReleaseChange
from confnet.models import Speaker as SpeakerRecord


@dataclass(frozen=True)
class SessionLink:
    label: str
    url: str


@dataclass(frozen=True)
class HistoryLine:
    """One change of the item in one release."""

    release: int  # its number
    published_at: datetime
    kind: ChangeKind
    summary: str


@dataclass(frozen=True)
class SessionDetails:
    """The same for every viewer; changes only with the programme's state (see
    ``services.find_session``)."""

    speakers: list[tuple[str, bool]]  # (name, has a confnet account)
    links: list[SessionLink]
    changes: list[HistoryLine]  # newest release first


def _statement():
    """One statement for three parts, as rows (part, number, number, text, text, moment),
    each part in the order the page shows it:

    0. the speaker records whose name is among ``names`` or holds ", ": (account's user id or
       NULL, -, name, -, -);
    1. the item's links: (position, id, label, url, -);
    2. its release history: (minus the release number, change id, kind, summary, published
       at).
    """
    item_id, conference_id = bindparam("item_id"), bindparam("conference_id")
    # Typed: PostgreSQL would take two untyped NULLs for text, and the union's columns have
    # the first part's types (this one's gives the moments their time zone).
    no_moment = cast(null(), UTCDateTime)
    names = bindparam("names", expanding=True)
    speakers = select(
        literal_column("0"),
        SpeakerRecord.user_id,
        null(),
        SpeakerRecord.name,
        null(),
        no_moment,
    ).where(
        SpeakerRecord.conference_id == conference_id,
        or_(SpeakerRecord.name.in_(names), SpeakerRecord.name.contains(", ")),
    )
    links = select(
        literal_column("1"), ItemLink.position, ItemLink.id, ItemLink.label, ItemLink.url, no_moment
    ).where(ItemLink.item_id == item_id)
    history = (
        select(
            literal_column("2"),
            -Release.number,
            ReleaseChange.id,
            ReleaseChange.kind,
            ReleaseChange.summary,
            Release.published_at,
        )
        .join(ReleaseChange.release)
        .where(ReleaseChange.item_id == item_id, Release.conference_id == conference_id)
    )
    return union_all(speakers, links, history).order_by(
        *(literal_column(f"{n}") for n in (1, 2, 3))
    )


_DETAILS = _statement()


def session_details(conference: Conference, item: PublishedItem) -> SessionDetails:
    """The speakers, links and release history of a published item (one query)."""
    text = item.speaker_names or ""
    params = {"item_id": item.item_id, "conference_id": conference.id, "names": text.split(", ")}
    parts: tuple[list, list, list] = ([], [], [])
    for part, number, _, first, second, moment in db.session.execute(_DETAILS, params):
        parts[part].append((number, first, second, moment))
    records = [(name, user_id) for user_id, name, _, _ in parts[0]]
    return SessionDetails(
        speakers=published_speakers(text, records),
        links=[SessionLink(label, url) for _, label, url, _ in parts[1]],
        changes=[
            HistoryLine(-number, moment, ChangeKind(kind), summary or "")
            for number, kind, summary, moment in parts[2]
        ],
    )


def published_speakers(text: str, records: list[tuple[str, int | None]]) -> list[tuple[str, bool]]:
    """The speakers as published (``speaker_names``: ``text``), each with whether a speaker
    record of that name has an account. The item's speaker links belong to the draft and may
    have changed since, so names are matched against ``records`` (name, user id): the
    conference's speaker records with one of the names, or with ", " in theirs (names may
    themselves hold ", ")."""
    known = sorted({name for name, _ in records}, key=len, reverse=True)
    with_account = {name for name, user_id in records if user_id is not None}
    people, rest = [], text
    while rest:
        name = next((n for n in known if rest == n or rest.startswith(n + ", ")), None)
        name = name or rest.split(", ", 1)[0]
        people.append((name, name in with_account))
        rest = rest[len(name) + 2 :]
    return people
