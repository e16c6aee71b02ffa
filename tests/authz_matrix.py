"""confnet's access policy as a table: what every route answers to every kind of visitor.

tests/test_authz_matrix.py walks every route of the URL map as each of ``ROLES`` and compares
the answers with this table; a route missing here fails that test until it is classified.
All the roles look at the same conference (the target) and its objects:

- anonymous: nobody logged in;
- stranger: an attendee of another conference;
- attendee: an attendee of the target, and the owner of the objects that belong to somebody
  (a connection, introductions, meetings, a block, a workshop place, a calendar feed);
- speaker: a speaker of the target, who owns none of those;
- other_organizer: an organizer of another conference;
- organizer: an organizer of the target;
- admin: a site admin who belongs to no conference.

Answers: ``ok`` (let in: anything but the refusals below, a form error included), ``login``
(redirected to the log-in page), ``403`` and ``404`` (refused without saying the object exists).
"""

ROLES = ("anonymous", "stranger", "attendee", "speaker", "other_organizer", "organizer", "admin")
OK, LOGIN, NO, GONE = "ok", "login", "403", "404"

# Each access level, in the order of ROLES.
LEVELS: dict[str, tuple[str, ...]] = {
    "public": (OK, OK, OK, OK, OK, OK, OK),
    "account": (LOGIN, OK, OK, OK, OK, OK, OK),
    "member": (LOGIN, NO, OK, OK, NO, OK, NO),
    "member-api": (NO, NO, OK, OK, NO, OK, NO),
    "member-sees-person": (LOGIN, GONE, OK, OK, GONE, OK, GONE),
    "moderator-sees-person": (LOGIN, GONE, OK, OK, GONE, OK, OK),
    "participant": (LOGIN, NO, OK, OK, NO, OK, OK),
    "organizer": (LOGIN, NO, NO, NO, NO, OK, OK),
    "site-admin": (LOGIN, NO, NO, NO, NO, NO, OK),
    "owner": (LOGIN, GONE, OK, GONE, GONE, GONE, GONE),
    "owner-among-members": (LOGIN, NO, OK, GONE, NO, GONE, NO),
}

POLICY: dict[str, set[str]] = {
    # Anyone: the site's own pages and files, accounts' front door, the published programme
    # (public like a printed one, feeds and exports included) and the offline app's plumbing
    # (what it keeps depends on who asks, never more than they may see). A visitor who logs
    # out just lands on the home page.
    "public": {
        "home.index",
        "health.check",
        "health.live",
        "static",
        "auth.log_in",
        "auth.sign_up",
        "auth.request_reset",
        "auth.log_out",
        "conferences.index",
        "conferences.show",
        "schedule.index",
        "schedule.timezone",
        "schedule.show",
        "schedule.changes",
        "feeds.conference_feed",
        "feeds.track_feed",
        "feeds.session_event",
        "interchange.export_schedule",
        "offline.service_worker",
        "offline.manifest_of_site",
        "offline.manifest_of_conference",
        "offline.plan",
        "offline.check",
        "offline.fallback",
        # Capability URLs: whoever holds the secret link gets in, logged in or not.
        "feeds.personal",
        "auth.reset",
    },
    # Any account, acting on its own things only (so no membership is needed): the account
    # pages, its data, calendar feed and notifications; the blocks it made; its own workshop
    # seat (giving one up must work after leaving); the sessions it speaks in; joining.
    "account": {
        "accounts.edit_profile",
        "accounts.change_password",
        "auth.confirm_log_out",
        "auth.log_out_everywhere",
        "privacy.your_data",
        "privacy.download",
        "privacy.delete_account",
        "feeds.settings",
        "feeds.turn_on",
        "feeds.turn_off",
        "feeds.regenerate",
        "feeds.set_reminders",
        "workshops.notifications",
        "workshops.cancel",
        "introductions.list_blocked",
        "schedule.speaker_sessions",
        "conferences.join",
    },
    # Members of the conference: their agenda, seats, private notes and the people area.
    # Organizers and site admins gain nothing here from their role: a site admin who is not a
    # member has no agenda, private notes or networking in the conference.
    "member": {
        "conferences.leave",
        "schedule.agenda",
        "schedule.star",
        "schedule.unstar",
        "workshops.sign_up",
        "workshops.mine",
        "notes.my_notes",
        "notes.private_note",
        "notes.export_mine",
        "people.list_people",
        "people.suggest_people",
        "people.edit_visibility",
        "people.dismiss_suggestion",
        "introductions.list_introductions",
        "introductions.introduce_people",
        "introductions.request_introduction",
        "meetings.list_meetings",
    },
    # The same, for the offline app's JSON endpoint: a visitor gets a 403, not a log-in page.
    "member-api": {"offline.send_changes"},
    # Acting on a person: for anyone who can't see them here the person does not exist.
    "member-sees-person": {"introductions.block_person", "introductions.report_person"},
    # A person's profile: also for the site admin, who moderates every conference's reports.
    "moderator-sees-person": {"people.show_person"},
    # The session's shared notes: for the people taking part, and for its organizers.
    "participant": {
        "notes.show",
        "notes.save",
        "notes.history",
        "notes.diff",
        "notes.knowledge",
    },
    # The conference's organizers and the site admins.
    "organizer": {
        "conferences.edit",
        "conferences.members",
        "conferences.change_role",
        "programme.dashboard",
        "programme.conflicts",
        "programme.releases",
        "programme.demand",
        "programme.index",
        "programme.new_session",
        "programme.edit_session",
        "programme.cancel_session",
        "programme.restore_session",
        "programme.delete_session",
        "programme.rooms",
        "programme.edit_room",
        "programme.delete_room",
        "programme.tracks",
        "programme.edit_track",
        "programme.delete_track",
        "interchange.import_schedule",
        "interchange.export_draft",
        "workshops.manage_index",
        "workshops.manage",
        "workshops.door",
        "workshops.roster_csv",
        "workshops.draw",
        "workshops.promote",
        "workshops.check_in",
        "notes.export_all",
        "notes.hide",
        "notes.restore",
        "introductions.list_reports",
        "introductions.hide_profile",
        "introductions.dismiss_report",
        "introductions.restore_profile",
        "meetings.edit_meeting_points",
        "meetings.delete_meeting_point",
        "audit.audit_log",
    },
    "site-admin": {"admin.index", "admin.create_conference", "admin.outbox"},
    # The attendee's own connection, meetings and blocks: everyone else, organizers and
    # site admins included, gets the 404 of an object that does not exist.
    "owner": {
        "introductions.show_connection",
        "introductions.unblock_person",
        "meetings.book_meeting",
        "meetings.propose_time",
        "meetings.accept_meeting",
        "meetings.decline_meeting",
        "meetings.cancel_meeting",
    },
    # Answering one's introductions: the introductions area is for members (403), and among
    # them only the pair (or, to withdraw, the one who asked) finds the introduction.
    "owner-among-members": {
        "introductions.accept_introduction",
        "introductions.decline_introduction",
        "introductions.withdraw_introduction",
    },
}

# POSTs that change what later requests of the same walk see, in the order they go last:
# deletions, a block of the person other routes are about, membership changes (leave before
# join, so that the stranger's join can't make it a member for the leave), and logging out.
LAST = (
    "programme.delete_session",
    "programme.delete_room",
    "programme.delete_track",
    "meetings.delete_meeting_point",
    "introductions.block_person",
    "conferences.leave",
    "conferences.join",
    "auth.log_out_everywhere",
    "auth.log_out",
)
# After these the walk logs in again.
ENDS_SESSION = {"auth.log_out_everywhere", "auth.log_out"}


def expected() -> dict[str, dict[str, str]]:
    """``{endpoint: {role: answer}}`` for every endpoint of the table."""
    table: dict[str, dict[str, str]] = {}
    for level, endpoints in POLICY.items():
        for endpoint in endpoints:
            assert endpoint not in table, f"{endpoint} is in two access levels"
            table[endpoint] = dict(zip(ROLES, LEVELS[level], strict=True))
    return table
