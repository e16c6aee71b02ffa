"""The person behind an account: name, professional profile, intents and contact details.

``update_profile`` checks everything before it changes anything, so a refused profile leaves
the old one exactly as it was. Contact details (email, phone, links) are stored here but shown
only to connections (see ``confnet.permissions.can_see_contact``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from sqlalchemy import select

from confnet.errors import DomainError
from confnet.extensions import db
from confnet.models import (
    CareerStage,
    Offer,
    Profession,
    Profile,
    ProfileOffer,
    ProfileSeek,
    Seek,
    User,
)
from confnet.people.relations import lock_people

MAX_LINKS, MAX_LINK_LENGTH = 3, 250
MAX_INTERESTS, MAX_LANGUAGES, MAX_TAG_LENGTH = 15, 10, 60
# Roomy on purpose: shown as a mailto: link to connections only, never used to send mail.
_EMAIL = re.compile(r"^[^@\s<>\"',;]+@[^@\s<>\"',;]+\.[^@\s<>\"',;.]+$")
_PHONE = re.compile(r"^\+?[0-9 ()./-]+$")


class ProfileError(DomainError):
    pass


@dataclass(frozen=True)
class ProfileChanges:
    """Everything the profile form submits, as text; empty text clears a field."""

    name: str
    profession: str = ""
    specialty: str = ""
    sub_specialty: str = ""
    career_stage: str = ""
    organization: str = ""
    city: str = ""
    country: str = ""
    languages: str = ""
    interests: str = ""
    bio: str = ""
    offers: tuple[str, ...] = ()
    seeks: tuple[str, ...] = ()
    contact_email: str = ""
    phone: str = ""
    links: str = ""


def get_or_build_profile(user: User) -> Profile:
    """The user's profile, or a new unsaved one."""
    return user.profile or Profile(user=user)


def safe_link(text: str) -> str | None:
    """``text`` when it is an absolute http(s) address fit to be a link (at most
    ``MAX_LINK_LENGTH`` characters, no blanks or control characters), else None. The profile
    form stores only such links; pages check again before making one clickable."""
    link = text.strip()
    if not link or len(link) > MAX_LINK_LENGTH or any(c.isspace() or ord(c) < 32 for c in link):
        return None
    try:
        parts = urlsplit(link)
    except ValueError:  # "https://[::1": not an address at all
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return link


def parse_links(text: str) -> list[str]:
    """Up to three http(s) addresses, one per line (blank lines ignored)."""
    links = list(dict.fromkeys(line.strip() for line in (text or "").splitlines() if line.strip()))
    if len(links) > MAX_LINKS:
        raise ProfileError(f"Add at most {MAX_LINKS} links, one per line.")
    for link in links:
        if len(link) > MAX_LINK_LENGTH:
            raise ProfileError(f"Keep each link under {MAX_LINK_LENGTH} characters.")
        if safe_link(link) is None:
            raise ProfileError(f"“{link[:60]}” is not a web address starting with https://.")
    return links


def parse_list(text: str, *, what: str, limit: int) -> list[str]:
    """Comma-separated entries, de-duplicated without regard to case (first spelling wins)."""
    entries: dict[str, str] = {}
    for raw in (text or "").split(","):
        entry = " ".join(raw.split())
        if entry:
            entries.setdefault(entry.casefold(), entry)
    if len(entries) > limit:
        raise ProfileError(f"List at most {limit} {what}, separated with commas.")
    if any(len(entry) > MAX_TAG_LENGTH for entry in entries.values()):
        raise ProfileError(f"Keep each of your {what} under {MAX_TAG_LENGTH} characters.")
    return list(entries.values())


def check_contact_email(text: str) -> str:
    email = (text or "").strip()
    if email and (len(email) > 254 or not _EMAIL.match(email)):
        raise ProfileError("Enter an email address like name@hospital.org.")
    return email


def check_phone(text: str) -> str:
    phone = " ".join((text or "").split())
    if phone and (not _PHONE.match(phone) or sum(c.isdigit() for c in phone) < 5):
        raise ProfileError("Enter a phone number with digits only, like +31 10 123 4567.")
    if len(phone) > 40:
        raise ProfileError("Keep the phone number under 40 characters.")
    return phone


def _enum_values(enum_cls, values, what: str):
    try:
        return {enum_cls(value) for value in values if value}
    except ValueError:
        raise ProfileError(f"Choose {what} from the list.") from None


def _check_lengths(values: dict) -> None:
    """What the columns hold (joined lists can outgrow what the form allowed for the text)."""
    for name, value in values.items():
        limit = getattr(Profile.__table__.c[name].type, "length", None)
        if isinstance(value, str) and limit and len(value) > limit:
            label = name.replace("_", " ").replace("contact ", "")
            raise ProfileError(f"Your {label} must fit in {limit} characters.")


def _clean(changes: ProfileChanges) -> dict:
    """The columns to store, checked; raises ProfileError on the first problem."""
    try:
        profession = Profession(changes.profession) if changes.profession else None
        stage = CareerStage(changes.career_stage) if changes.career_stage else None
    except ValueError:
        raise ProfileError("Choose a profession and a career stage from the list.") from None
    interests = parse_list(changes.interests, what="interests", limit=MAX_INTERESTS)
    languages = parse_list(changes.languages, what="languages", limit=MAX_LANGUAGES)
    return {
        "profession": profession,
        "career_stage": stage,
        **{
            name: " ".join(getattr(changes, name).split())
            for name in ("specialty", "sub_specialty", "organization", "city", "country")
        },
        "bio": changes.bio.strip(),
        "interests": ", ".join(interests),
        "languages": ", ".join(languages),
        "contact_email": check_contact_email(changes.contact_email),
        "phone": check_phone(changes.phone),
        "links": "\n".join(parse_links(changes.links)),
    }


def _locked_profile(user: User) -> Profile:
    """The user's profile as stored now, with the user's row locked on PostgreSQL so that two
    saves at once (a double tap) run one after the other instead of colliding."""
    lock_people(user.id)
    profile = db.session.scalar(
        select(Profile).where(Profile.user_id == user.id).execution_options(populate_existing=True)
    )
    if profile is None:
        profile = Profile(user_id=user.id)
        db.session.add(profile)
    return profile


def _set_intents(profile: Profile, offers: set[Offer], seeks: set[Seek]) -> None:
    """Keep the rows still wanted, drop the others, add the new ones."""
    profile.offers = [row for row in profile.offers if row.offer in offers] + [
        ProfileOffer(offer=o) for o in sorted(offers - profile.offer_set)
    ]
    profile.seeks = [row for row in profile.seeks if row.seek in seeks] + [
        ProfileSeek(seek=s) for s in sorted(seeks - profile.seek_set)
    ]


def update_profile(user: User, changes: ProfileChanges) -> Profile:
    """Save name, profile, intents and contact details together. Everything is checked first:
    on ProfileError nothing has changed. Interests and languages are de-duplicated. Flushes."""
    name = " ".join(changes.name.split())
    if not name or len(name) > 120:
        raise ProfileError("Enter your name (at most 120 characters).")
    values = _clean(changes)
    _check_lengths(values)
    offers = _enum_values(Offer, changes.offers, "what you offer")
    seeks = _enum_values(Seek, changes.seeks, "what you look for")
    profile = _locked_profile(user)
    user.name = name
    for column, value in values.items():
        setattr(profile, column, value)
    _set_intents(profile, offers, seeks)
    profile.search_text = profile.searchable(name)  # the event does it too; a rename alone must
    db.session.flush()
    db.session.expire(user, ["profile"])
    return profile
