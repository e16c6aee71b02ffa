"""All models, importable from one place (``from confnet.models import User``)."""

from confnet.models.conferences import Conference, Membership, Role
from confnet.models.feeds import CalendarFeed, ConferenceFeedVersion
from confnet.models.notes import NoteRevision, PrivateNote, SharedNote
from confnet.models.profiles import CareerStage, Profession, Profile
from confnet.models.programme import ItemKind, ItemLink, Room, ScheduleItem, Speaker, Track
from confnet.models.releases import ChangeKind, PublishedItem, Release, ReleaseChange, Star
from confnet.models.users import AuthEvent, AuthEventKind, OutboxMessage, User
from confnet.models.workshops import Notification, Seat, SeatStatus, SignupMode

__all__ = [
    "AuthEvent",
    "AuthEventKind",
    "CalendarFeed",
    "CareerStage",
    "ChangeKind",
    "Conference",
    "ConferenceFeedVersion",
    "ItemKind",
    "ItemLink",
    "Membership",
    "NoteRevision",
    "Notification",
    "OutboxMessage",
    "PrivateNote",
    "Profession",
    "Profile",
    "PublishedItem",
    "Release",
    "ReleaseChange",
    "Role",
    "Room",
    "Seat",
    "SeatStatus",
    "SignupMode",
    "SharedNote",
    "ScheduleItem",
    "Speaker",
    "Star",
    "Track",
    "User",
]
