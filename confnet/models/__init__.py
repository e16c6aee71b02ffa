"""All models, importable from one place (``from confnet.models import User``)."""

from confnet.models.conferences import Conference, Membership, Role
from confnet.models.profiles import CareerStage, Profession, Profile
from confnet.models.programme import ItemKind, Room, ScheduleItem, Speaker, Track
from confnet.models.users import AuthEvent, AuthEventKind, OutboxMessage, User

__all__ = [
    "AuthEvent",
    "AuthEventKind",
    "CareerStage",
    "Conference",
    "ItemKind",
    "Membership",
    "OutboxMessage",
    "Profession",
    "Profile",
    "Role",
    "Room",
    "ScheduleItem",
    "Speaker",
    "Track",
    "User",
]
