"""A conference's members in memory: what the directory searches and the suggestions score.

Reading and preparing 10,000 members takes a tenth of a second; asking the database which
version of them is current takes one small query. So each process keeps the newest roster of
each conference, keyed by ``PeopleStamp.token``, which database triggers renew with any change
to what is read here (migration 0007; a roster that reads more columns needs a migration that
adds them to the triggers): a roster is never stale, in any worker. What changes with every click
(blocks, introductions, dismissals, stars) is not in it: services read that per request.

Members are kept in the order pages list people (name without case, then id), and sets of them
are integers used as bit sets (see ``confnet.people.tally``).
"""

from __future__ import annotations

import threading
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from sqlalchemy import String, bindparam, literal, select, type_coerce, union_all

from confnet.extensions import db
from confnet.models import (
    Membership,
    Offer,
    Profile,
    ProfileOffer,
    ProfileSeek,
    Seek,
    User,
    Visibility,
)
from confnet.models.profiles import PeopleStamp, fold
from confnet.people.loading import person_from
from confnet.people.scoring import Person, spelling_key, split_list
from confnet.people.tally import bitset

CACHED_CONFERENCES = 16
SEARCHES_KEPT = 64  # per roster


class MemberRow(NamedTuple):
    """A member as read: the user, whether others may find them here (listed, not hidden) and
    their profile's columns (None without a profile)."""

    id: int
    name: str
    findable: bool
    specialty: str | None = None
    sub_specialty: str | None = None
    country: str | None = None
    interests: str | None = None
    languages: str | None = None
    profession: str | None = None
    career_stage: str | None = None
    organization: str | None = None
    city: str | None = None
    search_text: str | None = None


# Sets of members by one of their answers: group name -> answer -> people.
GROUPS = (
    "profession",
    "career_stage",
    "offer",  # each thing offered
    "seek",
    "offers",  # exactly these offers (a frozenset)
    "seeks",
    "specialty",  # spelling_key of the field
    "sub_specialty",
    "country",
    "interest",  # spelling_key of each interest
    "language",
)


@dataclass(eq=False)
class Roster:
    """Members in order, with their rows, intents, folded search text and sets by answers.
    Shared by the requests and threads of a process: its data never changes once built; it
    only remembers the searches it made."""

    rows: list[MemberRow]
    offers: list[frozenset[Offer]]
    seeks: list[frozenset[Seek]]
    haystacks: list[str]  # what the directory searches, folded (see Profile.searchable)
    findable: int
    groups: dict[str, dict] = field(default_factory=dict)
    index: dict[int, int] = field(default_factory=dict)  # user id -> position
    searched: dict[str, int] = field(default_factory=dict)  # folded word -> members
    lock: threading.Lock = field(default_factory=threading.Lock)
    stamp: str | None = None  # the PeopleStamp.token it was read under, once kept

    @property
    def size(self) -> int:
        return len(self.rows)

    def group(self, name: str, answer) -> int:
        """The members who gave ``answer`` (see ``GROUPS``)."""
        return self.groups[name].get(answer, 0)

    def person(self, i: int) -> Person:
        """The scorer's snapshot of member ``i`` (made when asked: a page needs a few dozen)."""
        row = self.rows[i]
        return person_from(row, {row.id: self.offers[i]}, {row.id: self.seeks[i]})

    def of_users(self, user_ids) -> int:
        """The members among ``user_ids`` (others are ignored)."""
        return bitset((self.index[u] for u in user_ids if u in self.index), self.size)

    def matching(self, word: str) -> int:
        """The members whose name or searched fields contain ``word``, without accents or case
        (``%`` and ``_`` are plain characters)."""
        needle = fold(word)
        with self.lock:
            found = self.searched.pop(needle, None)
        if found is None:
            texts = self.haystacks
            found = bitset([i for i, text in enumerate(texts) if needle in text], self.size)
        with self.lock:  # kept, most recent last: pages and filters repeat a search
            self.searched[needle] = found
            while len(self.searched) > SEARCHES_KEPT:
                del self.searched[next(iter(self.searched))]
        return found


def _haystack(row: MemberRow) -> str:
    if row.search_text:  # kept up to date by the ORM; empty for rows inserted in bulk
        return row.search_text
    fields = (row.name, row.organization, row.specialty, row.sub_specialty, row.interests)
    return fold("\n".join(value or "" for value in fields))


def _positions(rows: list[MemberRow], offers: list, seeks: list) -> dict[str, dict]:
    """Group name -> answer -> the positions of the members who gave it (see ``GROUPS``).
    Spellings repeat a lot in a conference: each is made into keys once."""
    found: dict[str, dict] = {name: defaultdict(list) for name in GROUPS}
    key = lru_cache(maxsize=None)(lambda text: spelling_key(text or ""))
    keys = lru_cache(maxsize=None)(
        lambda text: tuple({spelling_key(t): None for t in split_list(text or "")})
    )
    singles = ("profession", "career_stage", "specialty", "sub_specialty", "country")
    profession, stage, specialty, sub, country = (found[name] for name in singles)
    for i, row in enumerate(rows):
        profession[row.profession].append(i)
        stage[row.career_stage].append(i)
        specialty[key(row.specialty)].append(i)
        sub[key(row.sub_specialty)].append(i)
        country[key(row.country)].append(i)
        for name, text in (("interest", row.interests), ("language", row.languages)):
            for answer in keys(text):
                found[name][answer].append(i)
        for name, answers in (("offer", offers[i]), ("seek", seeks[i])):
            found[name + "s"][answers].append(i)
            for answer in answers:
                found[name][answer].append(i)
    return found


def build_roster(
    rows: list[MemberRow], offers: dict[int, frozenset], seeks: dict[int, frozenset]
) -> Roster:
    """The roster of ``rows`` (any order) with their intents (user id -> set)."""
    rows = sorted(rows, key=lambda row: (row.name.casefold(), row.id))
    size, none = len(rows), frozenset()
    roster = Roster(
        rows=rows,
        offers=[offers.get(row.id, none) for row in rows],
        seeks=[seeks.get(row.id, none) for row in rows],
        haystacks=[_haystack(row) for row in rows],
        findable=bitset([i for i, row in enumerate(rows) if row.findable], size),
        index={row.id: i for i, row in enumerate(rows)},
    )
    positions = _positions(rows, roster.offers, roster.seeks)
    roster.groups = {
        name: {answer: bitset(found, size) for answer, found in by_answer.items()}
        for name, by_answer in positions.items()
    }
    return roster


# The sets of things offered or sought, as bits: a conference has a few dozen different sets.
_BITS = {
    "o": {o.value: 1 << n for n, o in enumerate(Offer)},
    "s": {s.value: 1 << n for n, s in enumerate(Seek)},
}
_CHUNK = 256  # rows in memory at once while reading (see load_roster)


@lru_cache(maxsize=64)
def _intent_set(kind: str, mask: int) -> frozenset:
    """The things (offers for kind "o", seeks for "s") whose bits are in ``mask``: one shared
    set for everyone with the same ones."""
    members = Offer if kind == "o" else Seek
    return frozenset(m for m in members if mask & _BITS[kind][m.value])


def _intents(conference_id: int) -> tuple[dict, dict]:
    """(offers, seeks) of the conference's members: user id -> frozenset. One query."""
    members = select(Membership.user_id).where(Membership.conference_id == conference_id)
    query = union_all(
        select(ProfileOffer.user_id, literal("o"), type_coerce(ProfileOffer.offer, String)).where(
            ProfileOffer.user_id.in_(members)
        ),
        select(ProfileSeek.user_id, literal("s"), type_coerce(ProfileSeek.seek, String)).where(
            ProfileSeek.user_id.in_(members)
        ),
    )
    masks: dict[str, dict[int, int]] = {"o": defaultdict(int), "s": defaultdict(int)}
    for rows in db.session.connection().execute(query).partitions(_CHUNK):
        for user_id, kind, value in rows:
            masks[kind][user_id] |= _BITS[kind][value]
    return tuple({u: _intent_set(kind, m) for u, m in masks[kind].items()} for kind in "os")


def load_roster(conference_id: int) -> Roster:
    """The conference's roster as stored now. Two queries."""
    listed = Visibility.LISTED.value
    query = (
        select(
            User.id,
            User.name,
            (type_coerce(Membership.visibility, String) == listed)
            & Membership.profile_hidden_at.is_(None),
            *(
                type_coerce(getattr(Profile, name), String)
                for name in MemberRow._fields[MemberRow._fields.index("specialty") :]
            ),
        )
        .select_from(Membership)
        .join(User, User.id == Membership.user_id)
        .outerjoin(Profile, Profile.user_id == User.id)
        .where(Membership.conference_id == conference_id)
    )
    # Specialties, countries, cities... repeat: keep one copy of each text (a third of the
    # memory of 10,000 members). Rows are read a chunk at a time, so that they are gone before
    # the garbage collector would move them to its oldest generation: reading a roster should
    # not bring on a full collection of the whole process.
    texts: dict = {}
    one = texts.setdefault
    rows = [
        MemberRow(*row[:3], *map(one, row[3:], row[3:]))
        for chunk in db.session.connection().execute(query).partitions(_CHUNK)
        for row in chunk
    ]
    return build_roster(rows, *_intents(conference_id))


_STAMP = select(PeopleStamp.token).where(PeopleStamp.conference_id == bindparam("conference"))
_lock = threading.Lock()
_cache: dict[int, tuple[str, Roster]] = {}  # conference id -> (token, roster), newest used last


def roster_of(conference_id: int) -> Roster:
    """The conference's roster: this process's copy if the stamp still names it, else read
    (and kept, unless the conference has no stamp yet). One query, three on a miss."""
    token = db.session.connection().execute(_STAMP, {"conference": conference_id}).scalar()
    with _lock:
        kept = _cache.pop(conference_id, None)
        if kept is not None:
            _cache[conference_id] = kept  # used last: dropped last
    if token is not None and kept is not None and kept[0] == token:
        return kept[1]
    # Read after the stamp: a change committed in between is in the roster, and renewed the
    # stamp, so the next request reads again; the reverse order could keep old data for good.
    roster = load_roster(conference_id)
    if token is not None:
        roster.stamp = token
        with _lock:
            _cache.pop(conference_id, None)
            _cache[conference_id] = (token, roster)
            while len(_cache) > CACHED_CONFERENCES:
                del _cache[next(iter(_cache))]
    return roster


def forget_rosters() -> None:
    """Drop this process's rosters (tests that measure a cold start)."""
    with _lock:
        _cache.clear()
