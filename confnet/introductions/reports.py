"""What organizers do with reports: hide the reported profile in their conference, dismiss the
report, or restore a hidden profile. A hidden profile vanishes from the directory, suggestions
and profile pages for everyone but organizers and the person themself (the people predicates
read ``Membership.profile_hidden_at``). Nobody moderates reports about themselves: an
organizer who was reported neither sees nor acts on those reports; the other organizers and the
site admins do. Every action leaves an entry in the audit log (``confnet.audit``), in the same
transaction. Services flush; the caller commits."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update

from confnet.audit.services import record_action
from confnet.extensions import db
from confnet.introductions.moderation import ModerationRefused
from confnet.models import AuditAction, Conference, Membership, Report, User


@dataclass(frozen=True)
class HiddenProfile:
    """A member whose profile is hidden, with the latest report that led to it."""

    report: Report
    hidden_at: datetime


def open_reports(conference: Conference, viewer: User | None = None) -> list[Report]:
    """Reports nobody has acted on yet, oldest first; for ``viewer`` (not a site admin), not
    those about ``viewer``."""
    query = (
        select(Report)
        .filter_by(conference_id=conference.id)
        .where(Report.resolved_at.is_(None))
        .order_by(Report.id)
    )
    if viewer is not None and not viewer.is_site_admin:
        query = query.where(Report.subject_id != viewer.id)
    return list(db.session.scalars(query))


def may_act_on(report: Report, user: User) -> bool:
    """Whether ``user`` (a moderator of the report's conference) may act on ``report``: not when
    it is about them, unless they are a site admin."""
    return report.subject_id != user.id or user.is_site_admin


def _check_may_act(report: Report, user: User) -> None:
    if not may_act_on(report, user):
        raise ModerationRefused(
            "This report is about you: the other organizers or the site admins handle it."
        )


def hidden_profiles(conference: Conference) -> list[HiddenProfile]:
    """Members of ``conference`` whose profile is hidden, each with their latest report."""
    query = (
        select(Report, Membership.profile_hidden_at)
        .join(
            Membership,
            (Membership.conference_id == Report.conference_id)
            & (Membership.user_id == Report.subject_id),
        )
        .where(Report.conference_id == conference.id, Membership.profile_hidden_at.is_not(None))
        .order_by(Report.id.desc())
    )
    latest: dict[int, HiddenProfile] = {}
    for report, hidden_at in db.session.execute(query):
        latest.setdefault(report.subject_id, HiddenProfile(report, hidden_at))
    return list(latest.values())


def _membership_of_subject(report: Report) -> Membership:
    membership = db.session.scalar(
        select(Membership).filter_by(conference_id=report.conference_id, user_id=report.subject_id)
    )
    if membership is None:
        raise ModerationRefused(f"{report.subject.name} no longer takes part in this conference.")
    return membership


def _resolve(conference_id: int, subject_id: int, by: User, now: datetime) -> None:
    db.session.execute(
        update(Report)
        .where(
            Report.conference_id == conference_id,
            Report.subject_id == subject_id,
            Report.resolved_at.is_(None),
        )
        .values(resolved_at=now, resolved_by_id=by.id)
        .execution_options(synchronize_session="fetch")
    )


def hide_profile(report: Report, *, by: User, now: datetime) -> Membership:
    """Hide the reported person's profile in the report's conference; every open report about
    them there is resolved with it. Refused to the reported person themself."""
    _check_may_act(report, by)
    membership = _membership_of_subject(report)
    details = "The profile was already hidden; the open reports are closed."
    if membership.profile_hidden_at is None:
        membership.profile_hidden_at = now
        details = "Hidden in this conference after a report; the open reports are closed."
    _resolve(report.conference_id, report.subject_id, by, now)
    db.session.flush()
    _record(AuditAction.PROFILE_HIDDEN, report, by, details, now)
    return membership


def _record(action: AuditAction, report: Report, by: User, details: str, now=None) -> None:
    record_action(
        action,
        conference_id=report.conference_id,
        actor=by,
        subject_id=report.subject_id,
        details=details,
        now=now,
    )


def dismiss_report(report: Report, *, by: User, now: datetime) -> Report:
    """Close ``report`` without acting on the profile (not by the reported person)."""
    _check_may_act(report, by)
    if report.resolved_at is not None:
        raise ModerationRefused("This report is already closed.")
    report.resolved_at, report.resolved_by_id = now, by.id
    db.session.flush()
    _record(AuditAction.REPORT_DISMISSED, report, by, "The profile was left as it was.", now)
    return report


def restore_profile(report: Report, *, by: User) -> Membership:
    """Show the reported person's profile again in the report's conference (not by the reported
    person)."""
    _check_may_act(report, by)
    membership = _membership_of_subject(report)
    if membership.profile_hidden_at is None:
        raise ModerationRefused(f"{report.subject.name}'s profile is not hidden.")
    membership.profile_hidden_at = None
    db.session.flush()
    _record(AuditAction.PROFILE_RESTORED, report, by, "The profile shows again here.")
    return membership
