"""E-mail: messages built from ``templates/email/*.txt`` + ``*.html`` with the event's ``.ics``, and their transport.

``headers`` keeps every header value one clean line (CVE-2024-6923), ``settings`` holds the configuration and
the SMTP URL parser, ``rendering`` renders the bodies, ``mime`` encodes them, ``messages`` assembles a message
and ``transport`` sends it. The names below are the package's interface; callers use ``mail.<name>``.
"""

from tracker.mail.headers import MailError, checked_address, clean_header, sender_address
from tracker.mail.messages import OutgoingMail, build_message
from tracker.mail.mime import SharedBody, encode_body
from tracker.mail.rendering import render_bodies, template_environment
from tracker.mail.settings import MailSettings, SmtpTarget
from tracker.mail.transport import DirectoryTransport, Outcome, SendResult, SmtpTransport, Transport, open_transport

__all__ = [
    "DirectoryTransport",
    "MailError",
    "MailSettings",
    "Outcome",
    "OutgoingMail",
    "SendResult",
    "SharedBody",
    "SmtpTarget",
    "SmtpTransport",
    "Transport",
    "build_message",
    "checked_address",
    "clean_header",
    "encode_body",
    "open_transport",
    "render_bodies",
    "sender_address",
    "template_environment",
]
