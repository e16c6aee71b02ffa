"""Professional profiles: who a person is and what brings them to conferences."""

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


class Profile(db.Model):
    """One per user; ``interests`` is a comma-separated list of tags."""

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

    user = relationship("User", back_populates="profile")

    @property
    def interest_list(self) -> list[str]:
        return [t.strip() for t in self.interests.split(",") if t.strip()]
