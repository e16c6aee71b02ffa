"""Telling a person something: an in-app notification (shown on Home) plus an email."""

from dataclasses import dataclass

from confnet.extensions import db
from confnet.mail import Mailer
from confnet.models import Notification, User


@dataclass
class Messenger:
    """``base_url`` makes the notification's path absolute in the email."""

    mailer: Mailer
    base_url: str = ""

    def tell(self, user: User, text: str, path: str) -> None:
        """Add the notification to the session (flushed with the caller's work) and send the
        email; the text is cut to what the notification holds."""
        db.session.add(Notification(user_id=user.id, text=text[:300], url=path[:300]))
        self.mailer.send(
            user.email, text[:200], f"Hello {user.name},\n\n{text}\n\n{self.base_url}{path}\n"
        )


class _Nowhere:
    def send(self, recipient: str, subject: str, body: str) -> None:
        return None


def silent_messenger() -> Messenger:
    """For callers that must not tell anybody (tests of other rules, imports, the demo)."""
    return Messenger(mailer=_Nowhere())
