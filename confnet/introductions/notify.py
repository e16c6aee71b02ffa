"""Telling people about introductions and meetings. Services never build URLs: the view hands
them a ``Teller`` (``confnet.introductions.views.teller_for``) that knows the paths of the
conference's pages, and the services pass the right one to ``tell``."""

from collections.abc import Callable
from dataclasses import dataclass, field

from confnet.models import Introduction, User
from confnet.notify import Messenger, silent_messenger


@dataclass
class Teller:
    """``inbox`` is the conference's introductions page, ``connection(intro)`` an accepted
    introduction's page, ``reports`` the organizers' reports page, ``meetings`` the meetings
    page. A path left empty makes a notification without a link."""

    messenger: Messenger
    inbox: str = ""
    connection: Callable[[Introduction], str] = field(default=lambda intro: "")
    reports: str = ""
    meetings: str = ""

    def tell(self, user: User, text: str, path: str) -> None:
        """An in-app notification and an email (``Messenger.tell``)."""
        self.messenger.tell(user, text, path)


def silent_teller() -> Teller:
    """For tests and scripts: notifications are stored, no email leaves."""
    return Teller(silent_messenger())
