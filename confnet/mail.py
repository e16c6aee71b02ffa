"""Pluggable mail: SMTP when ``MAIL_SERVER`` is set, otherwise a database outbox.

The outbox keeps every message for the site admin to read at ``/admin/outbox``, and writes it to
the log so that a developer running locally can follow a password-reset link.
"""

import logging
import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Protocol

from flask import current_app

from confnet.extensions import db
from confnet.models import OutboxMessage

log = logging.getLogger("confnet.mail")


class Mailer(Protocol):
    def send(self, recipient: str, subject: str, body: str) -> None: ...


@dataclass
class OutboxMailer:
    """Stores messages in the outbox table (committed with the request) and logs them."""

    log_bodies: bool = True

    def send(self, recipient: str, subject: str, body: str) -> None:
        db.session.add(OutboxMessage(recipient=recipient, subject=subject, body=body))
        if self.log_bodies:
            log.info("outbox: to=%s subject=%r\n%s", recipient, subject, body)
        else:
            log.info("outbox: to=%s subject=%r", recipient, subject)


@dataclass
class SmtpMailer:
    host: str
    port: int
    sender: str
    username: str | None = None
    password: str | None = None
    use_tls: bool = True

    def send(self, recipient: str, subject: str, body: str) -> None:
        msg = EmailMessage()
        msg["From"], msg["To"], msg["Subject"] = self.sender, recipient, subject
        msg.set_content(body)
        with smtplib.SMTP(self.host, self.port, timeout=10) as smtp:
            if self.use_tls:
                smtp.starttls()
            if self.username:
                smtp.login(self.username, self.password or "")
            smtp.send_message(msg)
        log.info("smtp: sent to=%s subject=%r", recipient, subject)


def get_mailer() -> Mailer:
    """The mailer configured for the current app."""
    cfg = current_app.config
    if cfg.get("MAIL_SERVER"):
        return SmtpMailer(
            host=cfg["MAIL_SERVER"],
            port=int(cfg["MAIL_PORT"]),
            sender=cfg["MAIL_FROM"],
            username=cfg.get("MAIL_USERNAME"),
            password=cfg.get("MAIL_PASSWORD"),
            use_tls=bool(cfg["MAIL_USE_TLS"]),
        )
    # Reset links in the log are handy locally but must not end up in production logs.
    return OutboxMailer(log_bodies=not cfg["PRODUCTION"])
