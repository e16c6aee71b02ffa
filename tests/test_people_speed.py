"""The people pages cost the same number of queries for 20 attendees as for 200."""

from helpers import counting_queries
from test_people_services import seed_crowd

from confnet.extensions import db
from confnet.models import Seek


def test_people_pages_run_a_fixed_number_of_queries(client, make, login):
    viewer = make.user(name="Viewer")
    make.profile(viewer, specialty="Cardiology", seeks=(Seek.MENTOR, Seek.PEERS))
    login(viewer)
    counts = {}
    for size in (20, 200):
        conference = make.conference(f"crowd-{size}")
        make.member(viewer, conference)
        seed_crowd(make, conference, viewer, size)
        db.session.commit()
        pages = {
            "directory": f"/c/{conference.slug}/people?q=crowd&page=2",
            "filtered": f"/c/{conference.slug}/people?offers=mentoring&profession=physician",
            "suggestions": f"/c/{conference.slug}/people/suggestions",
        }
        for name, path in pages.items():
            with counting_queries() as statements:
                response = client.get(path)
            assert response.status_code == 200, path
            counts[size, name] = len(statements)
    print("queries per page:", counts)
    for name in ("directory", "filtered", "suggestions"):
        assert counts[20, name] == counts[200, name], (name, counts)
    assert counts[200, "directory"] <= 10 and counts[200, "suggestions"] <= 9, counts
