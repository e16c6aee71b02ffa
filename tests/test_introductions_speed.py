"""The introductions page costs the same number of queries for one request as for twelve: its
people, their profiles, memberships and blocks are loaded for the whole page at once."""

from helpers import counting_queries
from test_introductions_support import member

from confnet.models import IntroductionStatus


def page_cost(client, path: str) -> tuple[int, str]:
    with counting_queries() as statements:
        response = client.get(path)
    assert response.status_code == 200
    asked = [s for s in statements if not s.startswith(("BEGIN", "SAVEPOINT", "RELEASE"))]
    return len(asked), response.get_data(as_text=True)


def test_the_inbox_costs_a_fixed_number_of_queries(client, make, login):
    conference = make.conference("speedy")
    me = member(make, conference, "Mara Me")
    friend = member(make, conference, "Fenna Friend")
    make.introduction(conference, me, friend)
    first = member(make, conference, "Asker Zero")
    make.introduction(conference, first, me, status=IntroductionStatus.PENDING, by=first)
    login(me)
    one, page = page_cost(client, "/c/speedy/introductions")
    assert "Asker Zero" in page and "Fenna Friend" in page
    for n in range(1, 12):
        asker = member(make, conference, f"Asker {n}")
        make.introduction(conference, asker, me, status=IntroductionStatus.PENDING, by=asker)
        sent_to = member(make, conference, f"Asked {n}")
        make.introduction(conference, me, sent_to, status=IntroductionStatus.PENDING, by=me)
    twelve, page = page_cost(client, "/c/speedy/introductions")
    assert "Asker 11" in page and "Asked 11" in page
    assert twelve == one
