"""All models, importable from one place (``from confnet.models import User``)."""

from confnet.models.audit import AuditAction, AuditEntry
from confnet.models.conferences import Conference, Membership, Role, Visibility
from confnet.models.feeds import CalendarFeed, ConferenceFeedVersion
from confnet.models.networking import (
    Answer,
    Block,
    Dismissal,
    Introduction,
    IntroductionStatus,
    Meeting,
    MeetingPoint,
    MeetingStatus,
    Message,
    Report,
)
from confnet.models.notes import NoteRevision, PrivateNote, SharedNote
from confnet.models.profiles import (
    CareerStage,
    Offer,
    Profession,
    Profile,
    ProfileOffer,
    ProfileSeek,
    Seek,
)
from confnet.models.programme import ItemKind, ItemLink, Room, ScheduleItem, Speaker, Track
from confnet.models.releases import (
    ChangeKind,
    ProgrammeStamp,
    PublishedItem,
    Release,
    ReleaseChange,
    Star,
    StarCount,
)
from confnet.models.users import AuthEvent, AuthEventKind, OutboxMessage, User
from confnet.models.workshops import Notification, Seat, SeatStatus, SignupMode

__all__ = [
    "Answer",
    "AuditAction",
    "AuditEntry",
    "AuthEvent",
    "AuthEventKind",
    "Block",
    "CalendarFeed",
    "CareerStage",
    "ChangeKind",
    "Conference",
    "ConferenceFeedVersion",
    "Dismissal",
    "Introduction",
    "IntroductionStatus",
    "ItemKind",
    "ItemLink",
    "Meeting",
    "MeetingPoint",
    "MeetingStatus",
    "Membership",
    "Message",
    "NoteRevision",
    "Notification",
    "Offer",
    "OutboxMessage",
    "PrivateNote",
    "Profession",
    "Profile",
    "ProfileOffer",
    "ProfileSeek",
    "ProgrammeStamp",
    "PublishedItem",
    "Release",
    "ReleaseChange",
    "Report",
    "Role",
    "Room",
    "ScheduleItem",
    "Seat",
    "SeatStatus",
    "Seek",
    "SharedNote",
    "SignupMode",
    "Speaker",
    "Star",
    "StarCount",
    "Track",
    "User",
    "Visibility",
]
