"""Telling people about introductions. Services never build URLs: the view hands them a
``Teller`` that knows the paths of this conference's pages."""

from collections.abc import Callable
from dataclasses import dataclass, field

from confnet.models import Introduction, User
from confnet.notify import Messenger, silent_messenger


@dataclass
class Teller:
    """``inbox`` is the conference's introductions page, ``connection(intro)`` an accepted
    introduction's page, ``reports`` the organizers' reports page."""

    messenger: Messenger
    inbox: str = ""
    connection: Callable[[Introduction], str] = field(default=lambda intro: "")
    reports: str = ""

    def tell(self, user: User, text: str, path: str) -> None:
        self.messenger.tell(user, text, path)


def silent_teller() -> Teller:
    """For tests and scripts: notifications are stored, no email leaves."""
    return Teller(silent_messenger())
