"""Telling a person something: an in-app notification (shown on Home) plus an email."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from confnet.extensions import db
from confnet.mail import Mailer
from confnet.models import Notification, User


@dataclass
class Messenger:
    """``base_url`` makes the notification's path absolute in the email."""

    mailer: Mailer
    base_url: str = ""

    def tell(self, user: User, text: str, path: str, *, now: datetime | None = None) -> None:
        """Add the notification (dated ``now``, by default the present) to the session, flushed
        with the caller's work, and send the email; the text is cut to what the notification
        holds."""
        note = Notification(user_id=user.id, text=text[:300], url=path[:300])
        if now is not None:
            note.created_at = now
        db.session.add(note)
        self.mailer.send(
            user.email, text[:200], f"Hello {user.name},\n\n{text}\n\n{self.base_url}{path}\n"
        )

    def tell_unless_waiting(
        self, user: User, text: str, path: str, *, now: datetime, within: timedelta
    ) -> bool:
        """``tell``, unless ``user`` still has an unread notification pointing at ``path`` from
        the last ``within``: a busy conversation makes one notification (and one email), not
        one per message. Returns whether it told."""
        waiting = select(Notification.id).where(
            Notification.user_id == user.id,
            Notification.read_at.is_(None),
            Notification.url == path[:300],
            Notification.created_at > now - within,
        )
        if db.session.scalar(waiting.limit(1)) is not None:
            return False
        self.tell(user, text, path, now=now)
        return True


class _Nowhere:
    def send(self, recipient: str, subject: str, body: str) -> None:
        return None


def silent_messenger() -> Messenger:
    """For callers that must not tell anybody (tests of other rules, imports, the demo)."""
    return Messenger(mailer=_Nowhere())
