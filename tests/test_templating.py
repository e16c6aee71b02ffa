"""Template helpers that views and templates share."""

import pytest
from flask import url_for

from confnet.templating import id_url


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
