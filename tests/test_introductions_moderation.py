"""Blocks and reports as services: what a block ends and cancels, reports and hidden profiles."""

from datetime import timedelta

import pytest
from sqlalchemy import select
from test_introductions_support import NOW, member, notes_of

from confnet import permissions
from confnet.extensions import db
from confnet.introductions import moderation, reports
from confnet.introductions.moderation import ModerationRefused
from confnet.introductions.notify import silent_teller
from confnet.introductions.rules import IntroductionRefused
from confnet.models import (
    Block,
    IntroductionStatus,
    Meeting,
    MeetingStatus,
    Membership,
    Report,
    Role,
)


@pytest.fixture
def scene(make):
    conference = make.conference("mod", name="Heart Days")
    anna = member(make, conference, "Anna Arts")
    ben = member(make, conference, "Ben Bakker")
    carl = member(make, conference, "Carl Cohen")
    boss = member(make, conference, "Olga Organizer", role=Role.ORGANIZER)
    return conference, anna, ben, carl, boss


def meeting(conference, intro, host, guest, status=MeetingStatus.PROPOSED, hours=1):
    starts = NOW + timedelta(days=6, hours=hours)
    row = Meeting(
        conference_id=conference.id,
        introduction_id=intro.id,
        host_id=host.id,
        guest_id=guest.id,
        awaiting_id=guest.id if status is MeetingStatus.PROPOSED else None,
        starts_at=starts,
        ends_at=starts + timedelta(minutes=20),
        status=status,
        sequence=2,
        updated_at=NOW - timedelta(days=1),
    )
    db.session.add(row)
    db.session.flush()
    return row


def test_a_block_ends_introductions_and_cancels_meetings_silently(make, scene):
    conference, anna, ben, carl, _ = scene
    connection = make.introduction(conference, anna, ben)
    proposed = meeting(conference, connection, ben, anna)
    accepted = meeting(conference, connection, anna, ben, MeetingStatus.ACCEPTED, hours=2)
    declined = meeting(conference, connection, anna, ben, MeetingStatus.DECLINED, hours=3)
    brokered = make.introduction(conference, ben, carl, status=IntroductionStatus.PENDING, by=anna)
    elsewhere = make.introduction(conference, carl, anna)
    other_meeting = meeting(conference, elsewhere, carl, anna)
    db.session.expire_all()

    moderation.block_person(anna, ben, now=NOW)

    db.session.expire_all()
    assert connection.status is IntroductionStatus.ENDED and connection.decided_at == NOW
    assert brokered.status is IntroductionStatus.ENDED  # Anna's note no longer reaches Ben
    assert elsewhere.status is IntroductionStatus.ACCEPTED
    for row in (proposed, accepted):
        assert row.status is MeetingStatus.CANCELLED
        assert (row.awaiting_id, row.sequence, row.updated_at) == (None, 3, NOW)
    assert (declined.status, declined.sequence) == (MeetingStatus.DECLINED, 2)
    assert (other_meeting.status, other_meeting.sequence) == (MeetingStatus.PROPOSED, 2)
    assert notes_of(ben) == []
    assert permissions.is_blocked_between(ben, anna)
    assert not permissions.can_see_person(ben, anna, conference)
    assert not permissions.can_message(ben, connection)


def test_blocking_is_idempotent_and_unblocking_restores_nothing(make, scene):
    conference, anna, ben, _, _ = scene
    connection = make.introduction(conference, anna, ben)
    moderation.block_person(anna, ben, now=NOW)
    moderation.block_person(anna, ben, now=NOW + timedelta(hours=1))
    assert [(b.blocker_id, b.blocked_id) for b in moderation.blocks_of(anna)] == [(anna.id, ben.id)]
    moderation.unblock_person(anna, ben)
    assert db.session.scalars(select(Block)).all() == []
    db.session.refresh(connection)
    assert connection.status is IntroductionStatus.ENDED
    with pytest.raises(ModerationRefused, match="haven't blocked Ben Bakker"):
        moderation.unblock_person(anna, ben)
    with pytest.raises(ModerationRefused, match="yourself"):
        moderation.block_person(anna, anna, now=NOW)


def report(reporter, subject, conference, reason="Kept messaging after I said no"):
    return moderation.report_person(
        reporter, subject, conference, reason, now=NOW, teller=silent_teller()
    )


def test_a_report_reaches_the_organizers_once(scene):
    conference, anna, ben, carl, boss = scene
    first = report(anna, ben, conference)
    assert (first.reporter_id, first.subject_id, first.resolved_at) == (anna.id, ben.id, None)
    assert notes_of(boss) == [
        "A member of Heart Days reported a profile. Please review the reports."
    ]
    with pytest.raises(ModerationRefused) as again:
        report(anna, ben, conference, "Again")
    assert again.value.message == "You already reported Ben Bakker; the organizers have it."
    report(carl, ben, conference)
    assert len(db.session.scalars(select(Report)).all()) == 2


@pytest.mark.parametrize(
    ("reason", "error"),
    [("  ", "Please write"), ("r" * 1001, "Please keep your report to 1,000 characters or fewer.")],
)
def test_a_report_needs_a_short_reason(scene, reason, error):
    conference, anna, ben, _, boss = scene
    with pytest.raises(IntroductionRefused, match=error):
        report(anna, ben, conference, reason)
    assert db.session.scalars(select(Report)).all() == []
    assert notes_of(boss) == []


def test_reporting_yourself(scene):
    conference, anna, _, _, _ = scene
    with pytest.raises(ModerationRefused, match="yourself"):
        report(anna, anna, conference)


def test_the_reported_organizer_is_not_told(make, scene):
    conference, anna, _, _, boss = scene
    other_boss = member(make, conference, "Second Organizer", role=Role.ORGANIZER)
    report(anna, boss, conference)
    assert notes_of(boss) == []
    assert len(notes_of(other_boss)) == 1


def test_hiding_resolves_every_open_report_and_restoring_shows_again(scene):
    conference, anna, ben, carl, boss = scene
    first, second = report(anna, ben, conference), report(carl, ben, conference)
    assert [r.id for r in reports.open_reports(conference)] == [first.id, second.id]
    reports.hide_profile(first, by=boss, now=NOW)
    membership = db.session.scalar(select(Membership).filter_by(user_id=ben.id))
    assert membership.profile_hidden_at == NOW
    assert reports.open_reports(conference) == []
    db.session.refresh(second)
    assert (second.resolved_at, second.resolved_by_id) == (NOW, boss.id)
    assert [h.report.id for h in reports.hidden_profiles(conference)] == [second.id]
    assert not permissions.can_see_person(anna, ben, conference)
    assert permissions.can_see_person(boss, ben, conference)
    assert permissions.can_see_person(ben, ben, conference)

    reports.restore_profile(second, by=boss)
    assert membership.profile_hidden_at is None
    assert reports.hidden_profiles(conference) == []
    with pytest.raises(ModerationRefused, match="not hidden"):
        reports.restore_profile(second, by=boss)


def test_dismissing_a_report(scene):
    conference, anna, ben, _, boss = scene
    open_report = report(anna, ben, conference)
    reports.dismiss_report(open_report, by=boss, now=NOW)
    assert open_report.resolved_by_id == boss.id
    assert reports.open_reports(conference) == []
    with pytest.raises(ModerationRefused, match="already closed"):
        reports.dismiss_report(open_report, by=boss, now=NOW)
    assert db.session.scalar(select(Membership).filter_by(user_id=ben.id)).profile_hidden_at is None


def test_a_report_about_an_organizer_reaches_the_site_admins_too(make, scene):
    conference, anna, ben, _, boss = scene
    admin = make.user(name="Sita Admin", admin=True)  # not a member of the conference
    other_boss = member(make, conference, "Second Organizer", role=Role.ORGANIZER)
    report(anna, boss, conference)
    told = "A member of Heart Days reported a profile. Please review the reports."
    assert notes_of(admin) == [told] and notes_of(other_boss) == [told]
    assert notes_of(boss) == []
    report(anna, ben, conference)  # about an attendee: the organizers only
    assert notes_of(admin) == [told] and len(notes_of(boss)) == 1


def test_a_report_about_a_site_admin_reaches_the_other_site_admins(make, scene):
    conference, anna, _, _, boss = scene
    admin, other_admin = make.user(admin=True), make.user(admin=True)
    make.member(admin, conference)
    report(anna, admin, conference)
    assert notes_of(admin) == []
    assert len(notes_of(other_admin)) == 1 and len(notes_of(boss)) == 1


def test_an_organizer_cannot_act_on_a_report_about_themself(make, scene):
    conference, anna, _, _, boss = scene
    other_boss = member(make, conference, "Second Organizer", role=Role.ORGANIZER)
    admin = make.user(admin=True)
    about_boss = report(anna, boss, conference)
    assert reports.open_reports(conference, boss) == []
    assert reports.open_reports(conference, other_boss) == [about_boss]
    assert reports.open_reports(conference, admin) == [about_boss]
    for act in (reports.hide_profile, reports.dismiss_report):
        with pytest.raises(ModerationRefused, match="This report is about you"):
            act(about_boss, by=boss, now=NOW)
    assert about_boss.resolved_at is None
    reports.hide_profile(about_boss, by=other_boss, now=NOW)
    with pytest.raises(ModerationRefused, match="This report is about you"):
        reports.restore_profile(about_boss, by=boss)
    reports.restore_profile(about_boss, by=admin)


def test_a_site_admin_may_act_on_a_report_about_themself(make, scene):
    conference, anna, _, _, _ = scene
    admin = make.user(admin=True)
    make.member(admin, conference, Role.ORGANIZER)
    about_admin = report(anna, admin, conference)
    assert reports.open_reports(conference, admin) == [about_admin]
    reports.dismiss_report(about_admin, by=admin, now=NOW)
    assert about_admin.resolved_by_id == admin.id
