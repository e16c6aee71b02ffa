"""Your account: profile and password pages."""

import re

import pytest
from sqlalchemy import func, select

from confnet.extensions import db
from confnet.models import CareerStage, Offer, Profession, ProfileOffer, Seek, User


def test_profile_is_saved_and_shown_again(client, make, login, post):
    user = make.user()
    login(user)
    response = post(
        "/account/profile",
        {
            "name": "Dr. Amara Okafor",
            "profession": "physician",
            "career_stage": "early career",
            "specialty": "Cardiology",
            "organization": "Erasmus MC",
            "city": "Rotterdam",
            "country": "Netherlands",
            "interests": "heart failure, AI, heart failure",
            "bio": "Hi",
        },
    )
    assert response.status_code == 302
    refreshed = db.session.get(User, user.id)
    assert refreshed.name == "Dr. Amara Okafor"
    assert refreshed.profile.profession is Profession.PHYSICIAN
    assert refreshed.profile.career_stage is CareerStage.EARLY
    assert refreshed.profile.interest_list == ["heart failure", "AI"]
    html = client.get("/account/profile").get_data(as_text=True)
    assert '<option selected value="physician">' in html and "Erasmus MC" in html


def test_profile_rejects_unknown_choices_and_keeps_old_data(client, make, login, post):
    user = make.user(name="Kept Name")
    login(user)
    response = post(
        "/account/profile", {"name": "Changed", "profession": "wizard", "career_stage": ""}
    )
    assert response.status_code == 200 and "Not a valid choice" in response.get_data(as_text=True)
    assert db.session.get(User, user.id).name == "Kept Name"


def test_profile_text_is_escaped(client, make, login, post):
    login(make.user())
    post(
        "/account/profile",
        {"name": "<script>alert(1)</script>", "profession": "", "career_stage": ""},
    )
    html = client.get("/account/profile").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html


def test_change_password_with_a_wrong_current_password_is_refused(client, make, login, post):
    login(make.user())
    response = post(
        "/account/password",
        {"current": "wrong one!", "password": "new password 1", "confirm": "new password 1"},
    )
    assert response.status_code == 200
    assert "current password is not right" in response.get_data(as_text=True)


FULL = {
    "name": "Dr. Amara Okafor",
    "profession": "physician",
    "career_stage": "early career",
    "specialty": "Cardiology",
    "sub_specialty": "Electrophysiology",
    "organization": "Erasmus MC",
    "city": "Rotterdam",
    "country": "Netherlands",
    "languages": "English, Dutch, english",
    "interests": "heart failure",
    "bio": "Hi",
    "offers": ["mentoring", "advice"],
    "seeks": ["collaborators", "trial sites"],
    "contact_email": "amara@example.org",
    "phone": "+31 10 123 4567",
    "links": "https://orcid.org/0000-0002\n\nhttps://example.org/amara",
}


def stored(user):
    db.session.expire_all()
    return db.session.get(User, user.id)


def test_intents_languages_and_contact_details_are_saved(client, make, login, post):
    user = make.user()
    login(user)
    assert post("/account/profile", FULL).status_code == 302
    profile = stored(user).profile
    assert profile.sub_specialty == "Electrophysiology"
    assert profile.language_list == ["English", "Dutch"]
    assert profile.offer_set == {Offer.MENTORING, Offer.ADVICE}
    assert profile.seek_set == {Seek.COLLABORATORS, Seek.TRIAL_SITES}
    assert (profile.contact_email, profile.phone) == ("amara@example.org", "+31 10 123 4567")
    assert profile.link_list == ["https://orcid.org/0000-0002", "https://example.org/amara"]
    html = client.get("/account/profile").get_data(as_text=True)
    assert re.search(r'<input checked[^>]*value="mentoring"', html)
    assert not re.search(r'<input checked[^>]*value="hiring"', html)
    assert "shown only to people whose introduction you accepted" in html
    # Unticking everything removes the intents; the rest stays as sent.
    assert post("/account/profile", {**FULL, "offers": [], "seeks": ["peers"]}).status_code == 302
    profile = stored(user).profile
    assert profile.offer_set == set() and profile.seek_set == {Seek.PEERS}
    count = db.session.scalar(select(func.count()).select_from(ProfileOffer))
    assert count == 0


def test_a_first_profile_suggests_the_account_email_for_contacts(client, make, login, post):
    user = make.user(email="first@example.org")
    login(user)
    html = client.get("/account/profile").get_data(as_text=True)
    assert 'name="contact_email" type="email" value="first@example.org"' in html
    assert post("/account/profile", {**FULL, "contact_email": ""}).status_code == 302
    html = client.get("/account/profile").get_data(as_text=True)
    assert 'value="first@example.org"' not in html  # cleared on purpose: not suggested again


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("links", "javascript:alert(1)", "is not a web address"),
        ("links", "ftp://example.org/x", "is not a web address"),
        ("links", "https://[::1", "is not a web address"),  # urlsplit raises: not a 500
        ("links", "https://a.org\nhttps://b.org\nhttps://c.org\nhttps://d.org", "at most 3"),
        ("links", "https://example.org/" + "x" * 300, "under 250 characters"),
        ("links", "https://" + "x" * 900, "Please keep your links to 800 characters or fewer."),
        ("contact_email", "not an email", "Enter an email address"),
        ("phone", "call me maybe", "Enter a phone number"),
        ("phone", "12", "Enter a phone number"),
        ("offers", ["mentoring", "gold"], "is not a valid choice"),
        ("seeks", ["<script>"], "&#39;&lt;script&gt;&#39; is not a valid choice"),
        ("name", "", "This field is required"),
        ("name", "N" * 121, "Please keep your name to 120 characters or fewer."),
        ("sub_specialty", "S" * 121, "Please keep your sub-specialty to 120 characters or fewer."),
        ("specialty", "S" * 121, "Please keep your specialty to 120 characters or fewer."),
        ("city", "C" * 121, "Please keep your city to 120 characters or fewer."),
        ("bio", "B" * 2001, "Please keep your bio to 2,000 characters or fewer."),
        ("interests", ",".join(f"t{n}" for n in range(16)), "at most 15 interests"),
        ("interests", "x" * 61, "under 60 characters"),
        ("languages", ",".join(f"L{n}" for n in range(11)), "at most 10 languages"),
    ],
)
def test_bad_profile_input_is_refused_and_nothing_is_half_saved(
    client, make, login, post, field, value, message
):
    user = make.user(name="Kept Name")
    make.profile(user, specialty="Kept", offers=(Offer.HIRING,), links="https://kept.org")
    login(user)
    response = post("/account/profile", {**FULL, field: value})
    assert response.status_code == 200, field
    assert message in response.get_data(as_text=True)
    kept = stored(user)
    assert kept.name == "Kept Name" and kept.profile.specialty == "Kept"
    assert kept.profile.offer_set == {Offer.HIRING} and kept.profile.links == "https://kept.org"


def test_joined_lists_that_outgrow_their_column_are_refused_not_a_500(make):
    """Fifteen short interests fit the form; joined with ", " they must still fit the column."""
    from confnet.accounts.services import ProfileChanges, ProfileError, update_profile

    user = make.user(name="Kept")
    long_tags = ", ".join(f"{n:02}" + "i" * 36 for n in range(14))
    with pytest.raises(ProfileError, match="interests must fit in 500"):
        update_profile(user, ProfileChanges(name="Changed", interests=long_tags))
    assert user.name == "Kept" and user.profile is None


def test_script_in_every_profile_field_is_inert(client, make, login, post):
    login(make.user())
    evil = "<script>alert(1)</script>"
    text = ("name", "specialty", "sub_specialty", "organization", "city", "country", "bio")
    data = {**FULL, **{name: f"{name} {evil}" for name in text}}
    data.update(languages=f"Dutch, {evil}", interests=f"{evil}, AI", links="https://x.org/<script>")
    assert post("/account/profile", data).status_code == 302
    html = client.get("/account/profile").get_data(as_text=True)
    assert evil not in html and "<script>" not in html
    assert html.count("&lt;script&gt;") >= len(text) + 3


def _save_profile(uri: str, user_id: int, offers: list[str], barrier, results) -> None:
    from helpers import app_config

    from confnet import create_app
    from confnet.accounts.services import ProfileChanges, update_profile
    from confnet.database import write_intent

    app = create_app(app_config(uri))
    with app.app_context():
        db.session.execute(select(1))
        db.session.rollback()
        barrier.wait(timeout=60)
        try:
            with write_intent():
                user = db.session.get(User, user_id)
                changes = ProfileChanges(name="Twice", specialty="Cardiology", offers=tuple(offers))
                update_profile(user, changes)
                db.session.commit()
            results.put("ok")
        except Exception as err:
            db.session.rollback()
            results.put(f"error: {err!r}")


def test_two_saves_at_once_both_succeed_and_leave_one_consistent_profile(make, database_uri):
    """A double tap on "Save" for a first profile: two inserts of the same profile and intents
    would collide; the user's row lock (PostgreSQL) or BEGIN IMMEDIATE (SQLite) serialises them."""
    import multiprocessing

    user_id = make.user().id
    db.session.commit()
    # The test's session must not start a transaction while the workers run: reading an
    # expired attribute now would (under write intent) hold SQLite's write lock until the end.
    db.session.close()
    ctx = multiprocessing.get_context("spawn")
    barrier, results = ctx.Barrier(4), ctx.Queue()
    choices = [["mentoring", "advice"], ["mentoring"], ["advice", "hiring"], ["mentoring"]]
    workers = [
        ctx.Process(target=_save_profile, args=(database_uri, user_id, offers, barrier, results))
        for offers in choices
    ]
    for worker in workers:
        worker.start()
    answers = [results.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(timeout=60)
    assert answers == ["ok"] * 4
    profile = db.session.get(User, user_id).profile
    assert profile.specialty == "Cardiology"
    assert sorted(o.value for o in profile.offer_set) in [sorted(c) for c in choices]


def test_a_refusal_from_the_service_is_shown_on_the_form(client, make, login, post):
    """Fifteen interests of 32 letters fit the field (494 characters) but not the column once
    joined with ", " (508): the form says so and nothing is saved."""
    user = make.user(name="Kept Name")
    login(user)
    interests = ",".join(f"{n:02}" + "x" * 30 for n in range(15))
    assert len(interests) <= 500
    response = post("/account/profile", {**FULL, "interests": interests})
    assert response.status_code == 200
    assert "Your interests must fit in 500 characters" in response.get_data(as_text=True)
    assert stored(user).name == "Kept Name" and stored(user).profile is None
