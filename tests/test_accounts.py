"""Your account: profile and password pages."""

from confnet.extensions import db
from confnet.models import CareerStage, Profession, User


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
