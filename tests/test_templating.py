"""Template helpers that views and templates share."""

import pytest
from flask import render_template_string, url_for

from confnet.templating import URLS, id_url


@pytest.mark.parametrize("base_url", ["http://localhost/", "http://localhost/confnet/"])
def test_an_id_url_is_the_url_for_of_each_id(app, base_url):
    """One url_for for a list of links: the same URLs, also when mounted under a prefix."""
    with app.test_request_context("/", base_url=base_url):
        person_url = id_url("people.show_person", "user_id", slug="med conf")
        for user_id in (1, 42, 2**31 - 2):
            assert person_url(user_id) == url_for(
                "people.show_person", slug="med conf", user_id=user_id
            )
        assert person_url(7).startswith(base_url.removeprefix("http://localhost"))
        with pytest.raises(ValueError):
            person_url("7/../../admin")  # only ever an integer id


def test_template_urls_depend_on_the_blueprint_and_the_root_they_are_built_in(app):
    """Templates' url_for builds each URL once per worker: what it keeps is told apart by the
    blueprint a relative endpoint is named from and by the prefix the app is mounted under."""
    page = "{{ url_for('.index') }} {{ url_for('home.index', tab='new', _anchor='top') }}"
    seen = {}
    for path, base_url in [
        ("/conferences", "http://localhost/"),
        ("/", "http://localhost/"),
        ("/", "http://localhost/confnet/"),
    ]:
        for _ in range(2):  # built, then kept
            with app.test_request_context(path, base_url=base_url):
                seen.setdefault((path, base_url), set()).add(render_template_string(page))
    assert seen == {
        ("/conferences", "http://localhost/"): {"/conferences /?tab=new#top"},
        ("/", "http://localhost/"): {"/ /?tab=new#top"},
        ("/", "http://localhost/confnet/"): {"/confnet/ /confnet/?tab=new#top"},
    }


def test_template_urls_of_objects_and_external_ones_are_built_every_time(app):
    class Slug:
        def __init__(self, text):
            self.text = text

        def __str__(self):
            return self.text

    page = "{{ url_for('schedule.index', slug=slug) }} {{ url_for('home.index', _external=1) }}"
    with app.test_request_context("/", base_url="http://confnet.test/"):
        for text in ("alpha", "beta"):
            html = render_template_string(page, slug=Slug(text))
            assert html == f"/c/{text}/schedule http://confnet.test/"


def test_template_urls_outside_a_request_are_built_from_the_server_name(app):
    """A mail rendered by a command has no request: its URLs are whole, from SERVER_NAME."""
    page = "{{ url_for('home.index') }} {{ url_for('schedule.index', slug='medconf') }}"
    assert (
        render_template_string(page)
        == "http://confnet.test/ http://confnet.test/c/medconf/schedule"
    )


def test_template_urls_tell_true_from_one_and_keep_no_long_values(app):
    """``edit=True`` and ``edit=1`` are equal as keys but not as URLs; a long value (a search,
    a return path) comes from the request and is built every time instead of filling memory."""
    page = "{{ url_for('home.index', edit=value) }}"
    long_search = "cardiology " * 20
    with app.test_request_context("/"):
        kept = app.extensions[URLS]
        assert [render_template_string(page, value=v) for v in (1, True, 1)] == [
            "/?edit=1",
            "/?edit=True",
            "/?edit=1",
        ]
        before = len(kept.urls)
        html = render_template_string(page, value=long_search)
        assert html == url_for("home.index", edit=long_search)
        assert len(kept.urls) == before
