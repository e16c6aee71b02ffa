"""Telling people about their seats: an in-app notification plus an email."""

from collections.abc import Callable
from dataclasses import dataclass

from confnet.mail import Mailer
from confnet.models import ScheduleItem, User
from confnet.notify import Messenger, silent_messenger


@dataclass
class Notifier:
    """``link(item)`` gives the session page's path; ``base_url`` makes it absolute for email."""

    mailer: Mailer
    link: Callable[[ScheduleItem], str]
    base_url: str = ""

    def send(self, user: User, item: ScheduleItem, text: str) -> None:
        Messenger(self.mailer, self.base_url).tell(user, text, self.link(item))


def silent_notifier() -> Notifier:
    """For callers that must not send anything (tests of other rules, imports)."""

    return Notifier(mailer=silent_messenger().mailer, link=lambda item: "")
