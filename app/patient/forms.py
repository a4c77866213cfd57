"""The patient's forms that are not questionnaire pages (those are built from the definition)."""

from __future__ import annotations

from wtforms import HiddenField, StringField
from wtforms.validators import Length, ValidationError

from ..forms import ServiceForm, email_address
from ..i18n import gettext
from ..i18n import lazy_gettext as _l


class ResumeForm(ServiceForm):
    code = StringField(
        _l("Your resume code"),
        description=_l("It is 8 letters and numbers, like KX7P-93QD. You were given it when you started."),
        validators=[Length(max=40, message=_l("Resume code must be 8 letters and numbers"))],
        render_kw={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"},
    )

    def validate_code(self, field):
        if not (field.data or "").strip():
            raise ValidationError(gettext("Enter your resume code"))


class DeleteForm(ServiceForm):
    """Yes, delete my answers: a button and its CSRF token."""


class SubmitForm(ServiceForm):
    """Send my answers: the answer set's version, to catch a send from a stale tab."""

    version = HiddenField()


class EmailLinkForm(ServiceForm):
    """Email me my link: where to send it, used once and kept only in the delivery log."""

    email = StringField(
        _l("Email address"),
        description=_l("We will send your private link to this address. We will not use it for anything else."),
        validators=[Length(max=254), email_address],
        render_kw={"autocomplete": "email", "spellcheck": "false"},
    )

    def validate_email(self, field):
        if not field.data:
            raise ValidationError(gettext("Enter your email address"))
