"""The directory of a conference: the listed members a viewer may find, searched and filtered.

A page costs a fixed number of queries whatever the conference's size: one count, one page of
rows, and the four of ``explain_people`` for the reasons on each row.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, and_, exists, func, or_, select

from confnet.extensions import db
from confnet.models import (
    CareerStage,
    Conference,
    Offer,
    Profession,
    Profile,
    ProfileOffer,
    ProfileSeek,
    Seek,
    User,
)
from confnet.models.profiles import fold
from confnet.people.loading import listed_members, people_query, person_from
from confnet.people.scoring import Person
from confnet.people.suggestions import explain_people

PER_PAGE = 30
SEARCH_MAX = 100  # longer searches are cut, not refused
SEARCH_WORDS = 6
ROW_REASONS = 2


@dataclass(frozen=True)
class DirectoryFilters:
    """What the viewer narrowed the directory to; ``None``/empty means "any"."""

    q: str = ""
    profession: Profession | None = None
    career_stage: CareerStage | None = None
    offers: Offer | None = None
    seeks: Seek | None = None

    @property
    def active(self) -> bool:
        return any((self.q, self.profession, self.career_stage, self.offers, self.seeks))

    def as_args(self) -> dict[str, str]:
        """The filters as query-string arguments (for page links that keep them)."""
        args = {
            "q": self.q,
            "profession": self.profession,
            "career_stage": self.career_stage,
            "offers": self.offers,
            "seeks": self.seeks,
        }
        return {name: str(value) for name, value in args.items() if value}


@dataclass(frozen=True)
class DirectoryRow:
    person: Person
    profession: Profession | None
    organization: str
    city: str
    reasons: tuple[str, ...]

    @property
    def place(self) -> str:
        return ", ".join(part for part in (self.city, self.person.country) if part)


@dataclass(frozen=True)
class DirectoryPage:
    viewer: Person  # as the scorer sees them
    rows: list[DirectoryRow]
    total: int
    page: int
    per_page: int = PER_PAGE

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def _word_matches(word: str):
    """``word`` in the name or a searched field, without accents or case (``fold`` on both
    sides, through ``Profile.search_text``); ``%`` and ``_`` are literal. The raw fields are
    searched too (without case), for people without a profile and rows seeded in bulk."""
    fields = (
        User.name,
        Profile.organization,
        Profile.specialty,
        Profile.sub_specialty,
        Profile.interests,
    )
    folded = Profile.search_text.contains(fold(word), autoescape=True)
    return or_(folded, *(f.icontains(word, autoescape=True) for f in fields))


def _matching(query: Select, filters: DirectoryFilters) -> Select:
    """Every word of ``q`` in some searched field (without case); the choices exactly."""
    for word in filters.q[:SEARCH_MAX].split()[:SEARCH_WORDS]:
        query = query.where(_word_matches(word))
    if filters.profession:
        query = query.where(Profile.profession == filters.profession)
    if filters.career_stage:
        query = query.where(Profile.career_stage == filters.career_stage)
    if filters.offers:
        query = query.where(
            exists().where(
                and_(ProfileOffer.user_id == User.id, ProfileOffer.offer == filters.offers)
            )
        )
    if filters.seeks:
        query = query.where(
            exists().where(and_(ProfileSeek.user_id == User.id, ProfileSeek.seek == filters.seeks))
        )
    return query


def search_directory(
    viewer: User, conference: Conference, filters: DirectoryFilters, page: int = 1
) -> DirectoryPage:
    """One page of the people ``viewer`` may find in ``conference`` that match ``filters``,
    ordered by name then id, each with up to two reasons to meet them. A page past the end
    shows the last one."""
    query = _matching(
        people_query(Profile.profession, Profile.organization, Profile.city).where(
            listed_members(conference.id, viewer.id)
        ),
        filters,
    )
    total = db.session.scalar(
        select(func.count()).select_from(query.with_only_columns(User.id).subquery())
    )
    page = min(max(1, page), max(1, -(-total // PER_PAGE)))
    rows = db.session.execute(
        query.order_by(User.name, User.id).limit(PER_PAGE).offset((page - 1) * PER_PAGE)
    ).all()
    people = [person_from(row) for row in rows]
    me, matches = explain_people(viewer, conference, people)
    return DirectoryPage(
        viewer=me,
        rows=[
            DirectoryRow(
                person=matches[person.id].person,
                profession=row.profession,
                organization=row.organization or "",
                city=row.city or "",
                reasons=matches[person.id].reasons[:ROW_REASONS],
            )
            for person, row in zip(people, rows, strict=True)
        ],
        total=total,
        page=page,
    )
