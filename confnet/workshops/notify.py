"""Telling people about their seats: an in-app notification plus an email."""

from collections.abc import Callable
from dataclasses import dataclass

from confnet.extensions import db
from confnet.mail import Mailer
from confnet.models import Notification, ScheduleItem, User


@dataclass
class Notifier:
    """``link(item)`` gives the session page's path; ``base_url`` makes it absolute for email."""

    mailer: Mailer
    link: Callable[[ScheduleItem], str]
    base_url: str = ""

    def send(self, user: User, item: ScheduleItem, text: str) -> None:
        path = self.link(item)
        db.session.add(Notification(user_id=user.id, text=text[:300], url=path))
        self.mailer.send(
            user.email, text[:200], f"Hello {user.name},\n\n{text}\n\n{self.base_url}{path}\n"
        )


def silent_notifier() -> Notifier:
    """For callers that must not send anything (tests of other rules, imports)."""

    class _Nowhere:
        def send(self, recipient: str, subject: str, body: str) -> None:
            return None

    return Notifier(mailer=_Nowhere(), link=lambda item: "")
