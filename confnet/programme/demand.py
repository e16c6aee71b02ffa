"""Demand for published sessions: how many attendees want in, against the places there are.

``demand_per_item`` is the one place interest is counted (one grouped COUNT over stars). Workshop
places (seats, waitlist, lottery entries) come in as ``Demand.signups``; everything else reads
``Demand.interest``.
"""

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from confnet.extensions import db
from confnet.models import Conference, PublishedItem, Seat, Star

CHART_ROWS = 20
ROW_HEIGHT = 48  # px per session in the chart: a label line, then the bar
BAR_SPAN = 74.0  # % of the chart's width the longest bar may take; the rest holds the numbers


@dataclass
class Demand:
    item: PublishedItem
    stars: int
    signups: int | None = None  # people with a place, for sessions that need sign-up

    @property
    def room_capacity(self) -> int | None:
        return self.item.room.capacity if self.item.room else None

    @property
    def limit(self) -> int | None:
        """The places there are: the smaller of the session's own capacity and its room's."""
        capacities = [c for c in (self.item.capacity, self.room_capacity) if c]
        return min(capacities) if capacities else None

    @property
    def interest(self) -> int:
        return max(self.stars, self.signups or 0)

    @property
    def excess(self) -> int:
        return self.interest - self.limit if self.limit and self.interest > self.limit else 0

    @property
    def capacity_text(self) -> str:
        room, own = self.room_capacity, self.item.capacity
        if own and room:
            return f"{own} places (room holds {room})"
        if own:
            return f"{own} places"
        return f"room holds {room}" if room else "no capacity set"

    @property
    def warning(self) -> str:
        """``42 starred, room holds 30`` when interest exceeds the places, else ``""``."""
        if not self.excess:
            return ""
        interest = f"{self.stars} starred"
        if self.signups is not None:
            interest += f", {self.signups} signed up"
        return f"{interest}, {self.capacity_text}"


def demand_per_item(conference: Conference) -> dict[int, Demand]:
    """Demand for every published, not cancelled session of ``conference``, by item id."""
    counts = dict(
        db.session.execute(
            select(Star.item_id, func.count())
            .join(PublishedItem, PublishedItem.item_id == Star.item_id)
            .where(PublishedItem.conference_id == conference.id)
            .group_by(Star.item_id)
        ).all()
    )
    items = db.session.scalars(
        select(PublishedItem)
        .filter_by(conference_id=conference.id, cancelled=False)
        .options(selectinload(PublishedItem.room))
        .order_by(PublishedItem.starts_at, PublishedItem.item_id)
    )
    # Everyone with a place counts as interest: seats, waitlist places and lottery entries.
    seats = dict(
        db.session.execute(
            select(Seat.item_id, func.count())
            .join(PublishedItem, PublishedItem.item_id == Seat.item_id)
            .where(PublishedItem.conference_id == conference.id)
            .group_by(Seat.item_id)
        ).all()
    )
    return {
        item.item_id: Demand(
            item,
            counts.get(item.item_id, 0),
            seats.get(item.item_id, 0) if item.signup_required else None,
        )
        for item in items
    }


def ranked(demand: dict[int, Demand]) -> list[Demand]:
    """Most wanted first; ties in programme order."""
    return sorted(demand.values(), key=lambda d: (-d.interest, d.item.starts_at, d.item.item_id))


@dataclass
class ChartRow:
    demand: Demand
    label: str
    label_y: int
    bar_y: int
    bar_pct: float
    limit_pct: float | None  # where the capacity mark goes; None when off the scale or unknown


@dataclass
class Chart:
    rows: list[ChartRow]
    height: int
    scale: int
    span: float = BAR_SPAN


def _short(title: str, limit: int = 40) -> str:
    return title if len(title) <= limit else title[: limit - 1].rstrip() + "…"


def bar_chart(demands: list[Demand], rows: int = CHART_ROWS) -> Chart:
    """Geometry of a horizontal bar chart of the ``rows`` most wanted sessions.

    The scale fits the largest interest and any capacity up to twice that, so a huge hall does
    not flatten every bar; capacities beyond the scale are written, not drawn.
    """
    top = [d for d in demands if d.interest][:rows]
    most = max((d.interest for d in top), default=0)
    near = [d.limit for d in top if d.limit and d.limit <= 2 * most]
    scale = max([most, *near, 1])
    chart_rows = []
    for n, d in enumerate(top):
        limit_pct = d.limit / scale * BAR_SPAN if d.limit and d.limit <= scale else None
        chart_rows.append(
            ChartRow(
                demand=d,
                label=_short(d.item.title),
                label_y=n * ROW_HEIGHT + 16,
                bar_y=n * ROW_HEIGHT + 22,
                bar_pct=round(d.interest / scale * BAR_SPAN, 2),
                limit_pct=round(limit_pct, 2) if limit_pct is not None else None,
            )
        )
    return Chart(chart_rows, len(chart_rows) * ROW_HEIGHT + 4, scale)
