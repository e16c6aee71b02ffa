"""What a conference's public programme looks like now, in two values any version stamp selects.

The published schedule changes only with a release (its number) and, live without one, with its
rooms, tracks, speakers and links (``ProgrammeStamp.token``, renewed by triggers). Exports and
public calendar feeds both name their version by these two; each adds what else it shows.
"""

from sqlalchemy import ColumnElement, func, select

from confnet.models import ProgrammeStamp, Release


def programme_state(conference_id: ColumnElement) -> tuple:
    """(the latest release number or NULL, the programme stamp) as scalar subqueries, for the
    conference ``conference_id`` (a bound parameter: statements are built once)."""
    return (
        select(func.max(Release.number))
        .where(Release.conference_id == conference_id)
        .scalar_subquery(),
        select(ProgrammeStamp.token)
        .where(ProgrammeStamp.conference_id == conference_id)
        .scalar_subquery(),
    )
