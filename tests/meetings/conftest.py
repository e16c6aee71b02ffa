"""Fixtures of the meetings page tests: the pages think it is a week before the conference."""

import pytest
from meeting_pages import FRI, NOW


@pytest.fixture(autouse=True)
def frozen(monkeypatch):
    """The pages think it is a week before the conference."""
    monkeypatch.setattr("confnet.meetings.views.utcnow", lambda: NOW)
    monkeypatch.setattr("confnet.schedule.services.utcnow", lambda: NOW)


@pytest.fixture
def conference(make):
    return make.conference("medconf", name="MedConf 2027", starts_on=FRI, days=3)
