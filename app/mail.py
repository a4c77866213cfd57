"""Email through the hospital's mail relay, with the standard library's smtplib.

smtplib does all a relay needs (STARTTLS with a chosen certificate
authority, AUTH, timeouts) and hands back the server's own code and words
when it refuses, which the delivery log shows to staff. A mail extension
would only wrap it.

No email carries answers or clinical details, not even the clinic's name
or the procedure: an email can be read over a shoulder or on a shared
account. Each says a reference and a link, nothing else. Every try is
logged (EmailDelivery), sent or failed with the reason, never its words.

An email to a patient whose language is not known is written in each of
the clinic's letter languages (Welsh, then English, under the Welsh
Language Standards): one plain-text body with both, and an HTML part
whose halves each carry their `lang`.
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from datetime import UTC
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from flask import current_app
from markupsafe import Markup

from .clock import utcnow
from .extensions import db
from .i18n import ENGLISH, gettext, in_language
from .models import FAILED, SENT, AnswerSet, EmailDelivery, Invitation

INVITATION, REMINDER, RESUME_LINK, CLINIC_ALERT = "invitation", "reminder", "resume-link", "clinic-alert"
KIND_WORDS = {INVITATION: "Invitation", REMINDER: "Reminder", RESUME_LINK: "Link to carry on",
              CLINIC_ALERT: "Alert to the clinic"}


class NotSetUp(Exception):
    """No mail relay is configured."""


@dataclass(frozen=True)
class Email:
    kind: str
    subject: str
    body: str
    # Each language's body, in order, when there is more than one: (("cy", body), ("en", body)).
    parts: tuple[tuple[str, str], ...] = ()

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(language for language, _ in self.parts)

    @property
    def html(self) -> str:
        """The HTML alternative of a bilingual email: each language's paragraphs marked with its lang."""
        halves = []
        for language, body in self.parts:
            # Safe: format() escapes each paragraph of the email's text (our words and the link); the tags are ours.
            paragraphs = [Markup("<p>{}</p>").format(paragraph) for paragraph in body.strip().split("\n\n")]
            # Safe: the language code is ours (i18n.LANGUAGES) and the paragraphs were escaped just above.
            halves.append(Markup('<div lang="{}">{}</div>').format(language, Markup("").join(paragraphs)))
        if not halves:
            return ""
        # Safe: our rule between the halves, each escaped above.
        joined = Markup("<hr>").join(halves)
        # Safe: the subject is escaped by format(); the halves were escaped above; the rest is our markup.
        page = Markup('<!DOCTYPE html>\n<html lang="{}"><head><meta charset="utf-8"><title>{}</title></head>'
                      "<body>{}</body></html>\n")
        return str(page.format(self.parts[0][0], self.subject, joined))


def in_languages(languages: tuple[str, ...], write) -> Email:
    """`write()`'s email in each language, in order: one language as it is; more, as one email holding each."""
    emails = []
    for language in languages or (ENGLISH,):
        with in_language(language):
            emails.append(write())
    if len(emails) == 1:
        return emails[0]
    return Email(emails[0].kind, " / ".join(e.subject for e in emails),
                 f"\n{'-' * 40}\n\n".join(e.body for e in emails),
                 tuple(zip(languages, (e.body for e in emails), strict=True)))


def invitation(link: str, reference: str, languages: tuple[str, ...] = (ENGLISH,)) -> Email:
    return in_languages(languages, lambda: Email(
        INVITATION, gettext("Get ready for your hospital appointment"), _patient_body(
            gettext("Your care team has asked you to get ready for your appointment."),
            gettext("Open this private link to read about it, choose questions to ask and tell your team "
                    "what matters to you. It takes about 20 minutes. You can stop and carry on later."),
            link, reference)))


def reminder(link: str, reference: str, languages: tuple[str, ...] = (ENGLISH,)) -> Email:
    return in_languages(languages, lambda: Email(
        REMINDER, gettext("Reminder: get ready for your hospital appointment"), _patient_body(
            gettext("Your appointment is soon, and you have not sent your answers yet."),
            gettext("Open this private link to carry on. Your care team will read your answers before they "
                    "see you."),
            link, reference)))


def resume_link(link: str) -> Email:
    return Email(RESUME_LINK, gettext("Your link to carry on"), _patient_body(
        gettext("You asked us to email you this link."),
        gettext("Open it to carry on where you left off, on any device."), link, None))


def clinic_alert(link: str, reference: str) -> Email:
    """To the clinic's shared inbox: the reference only. Why it needs action is behind the sign-in."""
    return Email(CLINIC_ALERT, f"Answers to look at before the appointment: {reference}", "\n\n".join((
        f"A patient has sent answers that need action before their appointment. Reference: {reference}.",
        f"Sign in to see them:\n{link}",
        "This email has no clinical details. Do not reply to it.",
    )) + "\n")


def _patient_body(opening: str, what_to_do: str, link: str, reference: str | None) -> str:
    name = current_app.config["SERVICE_NAME"]
    parts = [opening, what_to_do, link,
             gettext("Keep this link private. Anyone with it can read your answers.")]
    if reference:
        parts.append(gettext("Your reference is %(reference)s.", reference=reference))
    parts += [gettext("This email is from %(name)s. Do not reply to it. If you did not expect it, you can ignore it, "
                      "or call the number on your appointment letter.", name=name)]
    return "\n\n".join(parts) + "\n"


def send(email: Email, recipient: str, *, invitation: Invitation | None = None,
         answer_set: AnswerSet | None = None) -> EmailDelivery:
    """Send one email now and log how it went; the caller commits the log."""
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["MAIL_SENDER"]
    message["To"] = recipient
    message["Subject"] = email.subject
    message["Date"] = format_datetime(utcnow().replace(tzinfo=UTC))
    message["Message-ID"] = make_msgid(domain=config["MAIL_SENDER"].rsplit("@", 1)[-1].strip(">") or None)
    message.set_content(email.body)
    if email.parts:
        message.add_alternative(email.html, subtype="html")
        # After add_alternative, which moves the Content-* headers into the first part.
        message["Content-Language"] = ", ".join(email.languages)
    try:
        _deliver(message, config)
        status, reason = SENT, ""
    except NotSetUp as error:
        status, reason = FAILED, str(error)
    except (smtplib.SMTPException, OSError) as error:
        status, reason = FAILED, server_reason(error)
        current_app.logger.warning("Email (%s) not sent: %s", email.kind, reason)
    delivery = EmailDelivery(kind=email.kind, recipient=recipient, status=status, reason=reason[:500],
                             invitation_id=invitation.id if invitation else None,
                             answer_set_id=answer_set.id if answer_set else None)
    db.session.add(delivery)
    return delivery


def may_pass(delivery: EmailDelivery) -> bool:
    """A failure worth trying again: the mail server unreachable or saying "not now" (4xx). Its 5xx refusal
    is final, and so is a service with no mail server set up: trying each hour would only fail each hour."""
    return delivery.status == FAILED and bool(current_app.config["MAIL_HOST"]) and not delivery.reason.startswith("5")


def _deliver(message: EmailMessage, config) -> None:
    if not config["MAIL_HOST"]:
        raise NotSetUp("Email is not set up on this service (no MAIL_HOST)")
    with smtplib.SMTP(config["MAIL_HOST"], config["MAIL_PORT"], timeout=config["MAIL_TIMEOUT"]) as smtp:
        if config["MAIL_STARTTLS"]:
            smtp.starttls(context=ssl.create_default_context(cafile=config["MAIL_CA_FILE"] or None))
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(message)


def server_reason(error: Exception) -> str:
    """What the mail server said, as staff can pass it to IT: "550 Mailbox full"."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return "; ".join(f"{code} {_text(words)}" for code, words in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return f"{error.smtp_code} {_text(error.smtp_error)}"
    if isinstance(error, smtplib.SMTPNotSupportedError):
        return f"The mail server does not support this: {error}"
    if isinstance(error, ssl.SSLError | ssl.CertificateError):
        return f"Could not make a secure connection to the mail server: {error}"
    if isinstance(error, TimeoutError):
        return "The mail server did not answer in time"
    if isinstance(error, ConnectionRefusedError):
        return "The mail server refused the connection"
    return str(error) or type(error).__name__


def _text(words: bytes | str) -> str:
    return words.decode(errors="replace") if isinstance(words, bytes) else str(words)
