"""Professional profiles: who a person is and what brings them to conferences.

A profile is one per person and shared by all their conferences; how visible it is in each
conference is on the ``Membership`` (see ``Visibility``). Contact details (``contact_email``,
``phone``, ``links``) are shown only to people with an accepted introduction.
"""

import enum
import unicodedata

from sqlalchemy import ForeignKey, String, Text, column, event, select, table
from sqlalchemy.orm import Mapped, mapped_column, object_session, relationship

from confnet.database import enum_type
from confnet.extensions import db

# Letters that NFKD does not take apart into a base letter and an accent.
_FOLDS = str.maketrans(
    {"ø": "o", "æ": "ae", "œ": "oe", "ß": "ss", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i"}
)


def fold(text: str) -> str:
    """``text`` for accent- and case-insensitive matching: lower case, accents dropped, a few
    letters spelled out ("Sørensen" → "sorensen", "Lucía" → "lucia", "Straße" → "strasse").
    Searches fold their words the same way and compare with ``Profile.search_text``."""
    if text.isascii():  # nothing to take apart: the directory folds thousands of these
        return text.lower()
    lowered = unicodedata.normalize("NFKD", text.casefold()).translate(_FOLDS)
    return "".join(ch for ch in lowered if not unicodedata.combining(ch))


class Profession(enum.StrEnum):
    PHYSICIAN = "physician"
    NURSE = "nurse"
    RESEARCHER = "researcher"
    PHARMACIST = "pharmacist"
    ALLIED_HEALTH = "allied health"
    STUDENT = "student"
    INDUSTRY = "industry"
    OTHER = "other"


class CareerStage(enum.StrEnum):
    STUDENT = "student"
    TRAINEE = "trainee"
    EARLY = "early career"
    MID = "mid career"
    SENIOR = "senior"
    LEADER = "department lead"


class Offer(enum.StrEnum):
    """What a person offers to others."""

    MENTORING = "mentoring"
    COLLABORATION = "collaboration"
    HIRING = "hiring"
    ADVICE = "advice"


class Seek(enum.StrEnum):
    """What a person is looking for; ``label`` reads in a sentence ("seeks a mentor")."""

    MENTOR = "mentor"
    COLLABORATORS = "collaborators"
    POSITION = "position"
    TRIAL_SITES = "trial sites"
    PEERS = "peers"

    @property
    def label(self) -> str:
        return f"a {self.value}" if self in (Seek.MENTOR, Seek.POSITION) else self.value


class Profile(db.Model):
    """One per user; ``interests`` and ``languages`` are comma-separated, ``links`` one URL
    per line."""

    __tablename__ = "profiles"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    profession: Mapped[Profession | None] = mapped_column(enum_type(Profession))
    specialty: Mapped[str] = mapped_column(String(120), default="")
    career_stage: Mapped[CareerStage | None] = mapped_column(enum_type(CareerStage))
    organization: Mapped[str] = mapped_column(String(160), default="")
    city: Mapped[str] = mapped_column(String(120), default="")
    country: Mapped[str] = mapped_column(String(120), default="")
    bio: Mapped[str] = mapped_column(Text, default="")
    interests: Mapped[str] = mapped_column(String(500), default="")
    sub_specialty: Mapped[str] = mapped_column(String(120), default="", server_default="")
    languages: Mapped[str] = mapped_column(String(200), default="", server_default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="", server_default="")
    phone: Mapped[str] = mapped_column(String(40), default="", server_default="")
    links: Mapped[str] = mapped_column(String(800), default="", server_default="")
    # Denormalised for the directory's search: ``fold`` of the name and the searched fields,
    # kept up to date on every insert and update of the profile (see ``_refresh_search_text``).
    search_text: Mapped[str] = mapped_column(Text, default="", server_default="")

    user = relationship("User", back_populates="profile")
    offers = relationship(
        "ProfileOffer", cascade="all, delete-orphan", lazy="selectin", order_by="ProfileOffer.offer"
    )
    seeks = relationship(
        "ProfileSeek", cascade="all, delete-orphan", lazy="selectin", order_by="ProfileSeek.seek"
    )

    def searchable(self, name: str) -> str:
        """What the directory searches, folded: the name and the profile's searched fields."""
        fields = (name, self.organization, self.specialty, self.sub_specialty, self.interests)
        return fold("\n".join(field or "" for field in fields))

    @property
    def interest_list(self) -> list[str]:
        return [t.strip() for t in self.interests.split(",") if t.strip()]

    @property
    def language_list(self) -> list[str]:
        return [t.strip() for t in self.languages.split(",") if t.strip()]

    @property
    def link_list(self) -> list[str]:
        return [line.strip() for line in self.links.splitlines() if line.strip()]

    @property
    def offer_set(self) -> set[Offer]:
        return {row.offer for row in self.offers}

    @property
    def seek_set(self) -> set[Seek]:
        return {row.seek for row in self.seeks}


class ProfileOffer(db.Model):
    """One thing a person offers (a row each, so that the directory can filter on it)."""

    __tablename__ = "profile_offers"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("profiles.user_id", ondelete="CASCADE"), primary_key=True
    )
    offer: Mapped[Offer] = mapped_column(enum_type(Offer), primary_key=True, index=True)


class ProfileSeek(db.Model):
    """One thing a person seeks."""

    __tablename__ = "profile_seeks"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("profiles.user_id", ondelete="CASCADE"), primary_key=True
    )
    seek: Mapped[Seek] = mapped_column(enum_type(Seek), primary_key=True, index=True)


class PeopleStamp(db.Model):
    """The version of a conference's people, as the directory and the suggestions read them: a
    random token, renewed by database triggers (migration 0007) whenever a member joins, leaves
    or changes visibility or is hidden, or a member's name, profile (the fields the directory
    shows, searches or scores), offers or seeks change, whichever code or process writes it.
    Caches keyed by it are never stale; a new token is never an old one again (a conference
    recreated with the same id, a rolled-back change). No row (a conference nobody joined yet):
    nothing may be cached."""

    __tablename__ = "people_stamps"
    __table_args__ = {"info": {"derived": True}}  # filled by triggers: not in backups

    conference_id: Mapped[int] = mapped_column(
        ForeignKey("conferences.id", ondelete="CASCADE"), primary_key=True
    )
    token: Mapped[str] = mapped_column(String(32))


_users = table("users", column("id"), column("name"))


def _name_of(profile: Profile, connection) -> str:
    """The profile's user's name as it is being saved: the loaded user if any (a rename in the
    same flush included), else the stored name."""
    user = profile.__dict__.get("user")
    session = object_session(profile)
    if user is None and session is not None:
        from confnet.models.users import User  # the users module imports this one

        user = session.identity_map.get(session.identity_key(User, (profile.user_id,)))
    if user is not None:
        return user.name
    return connection.scalar(select(_users.c.name).where(_users.c.id == profile.user_id)) or ""


@event.listens_for(Profile, "before_insert")
@event.listens_for(Profile, "before_update")
def _refresh_search_text(_mapper, connection, profile: Profile) -> None:
    """Keep ``search_text`` in step with the profile (and the name, whenever the profile is
    saved). Bulk inserts that bypass the ORM leave it empty: those rows match by the raw
    fields only."""
    profile.search_text = profile.searchable(_name_of(profile, connection))
