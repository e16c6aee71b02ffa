"""The person behind an account: name and professional profile."""

from confnet.extensions import db
from confnet.models import CareerStage, Profession, Profile, User


def get_or_build_profile(user: User) -> Profile:
    """The user's profile, or a new unsaved one."""
    return user.profile or Profile(user=user)


def update_profile(
    user: User,
    *,
    name: str,
    profession: str,
    specialty: str,
    career_stage: str,
    organization: str,
    city: str,
    country: str,
    interests: str,
    bio: str,
) -> Profile:
    """Save name and profile; empty choices clear the field; interests are de-duplicated."""
    profile = get_or_build_profile(user)
    user.name = name.strip()
    profile.profession = Profession(profession) if profession else None
    profile.career_stage = CareerStage(career_stage) if career_stage else None
    profile.specialty, profile.organization = specialty.strip(), organization.strip()
    profile.city, profile.country, profile.bio = city.strip(), country.strip(), bio.strip()
    tags = dict.fromkeys(t.strip() for t in interests.split(",") if t.strip())
    profile.interests = ", ".join(tags)
    db.session.add(profile)
    db.session.flush()
    return profile
