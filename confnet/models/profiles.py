"""Professional profiles: who a person is and what brings them to conferences.

A profile is one per person and shared by all their conferences; how visible it is in each
conference is on the ``Membership`` (see ``Visibility``). Contact details (``contact_email``,
``phone``, ``links``) are shown only to people with an accepted introduction.
"""

import enum

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from confnet.database import enum_type
from confnet.extensions import db


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

    user = relationship("User", back_populates="profile")
    offers = relationship(
        "ProfileOffer", cascade="all, delete-orphan", lazy="selectin", order_by="ProfileOffer.offer"
    )
    seeks = relationship(
        "ProfileSeek", cascade="all, delete-orphan", lazy="selectin", order_by="ProfileSeek.seek"
    )

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
