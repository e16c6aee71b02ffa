"""All models, importable from one place (``from confnet.models import User``)."""

from confnet.models.conferences import Conference, Membership, Role
from confnet.models.profiles import CareerStage, Profession, Profile
from confnet.models.programme import ItemKind, ItemLink, Room, ScheduleItem, Speaker, Track
from confnet.models.releases import ChangeKind, PublishedItem, Release, ReleaseChange, Star
from confnet.models.users import AuthEvent, AuthEventKind, OutboxMessage, User
from confnet.models.workshops import Notification, Seat, SeatStatus, SignupMode

__all__ = [
    "AuthEvent",
    "AuthEventKind",
    "CareerStage",
    "ChangeKind",
    "Conference",
    "ItemKind",
    "ItemLink",
    "Membership",
    "Notification",
    "OutboxMessage",
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
    "ScheduleItem",
    "Speaker",
    "Star",
    "Track",
    "User",
]
