"""The directory of a conference: the findable members a viewer may see, searched and filtered.

Searched and filtered in memory, in the conference's roster (``confnet.people.roster``): a page
costs three queries whatever the conference's size (the roster's stamp, the viewer's blocks, the
stars shared with the page's people for their reasons), two more when the roster is read anew.
"""

from __future__ import annotations

from dataclasses import dataclass

from confnet.models import CareerStage, Conference, Offer, Profession, Seek, User
from confnet.people.relations import blocked_ids
from confnet.people.roster import Roster, roster_of
from confnet.people.scoring import Person
from confnet.people.suggestions import explain_in_roster
from confnet.people.tally import members

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


def role_line(profession: Profession | None, specialty: str | None) -> str:
    """ "Physician · Cardiology": the line under a person's name (either part may be missing)."""
    parts = (profession.value.capitalize() if profession else "", specialty or "")
    return " · ".join(part for part in parts if part)


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


def _matching(roster: Roster, filters: DirectoryFilters) -> int:
    """The members with every word of ``q`` in their name or a searched field (without accents
    or case, see ``Roster.matching``) and exactly the chosen answers."""
    found = -1  # everyone, narrowed by each word and filter
    for word in filters.q[:SEARCH_MAX].split()[:SEARCH_WORDS]:
        found &= roster.matching(word)
    chosen = (
        ("profession", filters.profession),
        ("career_stage", filters.career_stage),
        ("offer", filters.offers),
        ("seek", filters.seeks),
    )
    for group, answer in chosen:
        if answer:
            found &= roster.group(group, answer)
    return found


def search_directory(
    viewer: User, conference: Conference, filters: DirectoryFilters, page: int = 1
) -> DirectoryPage:
    """One page of the members ``viewer`` (a member) may find in ``conference`` (listed, not
    hidden, not the viewer, no block either way) that match ``filters``, ordered by name without
    case then id, each with up to two reasons to meet them. A page past the end shows the last
    one."""
    roster = roster_of(conference.id)
    hidden = roster.of_users([viewer.id, *blocked_ids(viewer.id)])
    found = roster.findable & ~hidden & _matching(roster, filters)
    total = found.bit_count()
    page = min(max(1, page), max(1, -(-total // PER_PAGE)))
    positions = members(found, (page - 1) * PER_PAGE, page * PER_PAGE)
    me, matches = explain_in_roster(viewer, conference, roster, positions)
    rows = []
    for i, match in zip(positions, matches, strict=True):
        row = roster.rows[i]
        rows.append(
            DirectoryRow(
                person=match.person,
                profession=Profession(row.profession) if row.profession else None,
                organization=row.organization or "",
                city=row.city or "",
                reasons=match.reasons[:ROW_REASONS],
            )
        )
    return DirectoryPage(viewer=me, rows=rows, total=total, page=page)
