"""The patient's forms that are not questionnaire pages (those are built from the definition)."""

from __future__ import annotations

from wtforms import HiddenField, StringField
from wtforms.validators import Length, ValidationError

from ..forms import ServiceForm


class ResumeForm(ServiceForm):
    code = StringField(
        "Your resume code",
        description="It is 8 letters and numbers, like KX7P-93QD. You were given it when you started.",
        validators=[Length(max=40, message="Resume code must be 8 letters and numbers")],
        render_kw={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"},
    )

    def validate_code(self, field):
        if not (field.data or "").strip():
            raise ValidationError("Enter your resume code")


class DeleteForm(ServiceForm):
    """Yes, delete my answers: a button and its CSRF token."""


class SubmitForm(ServiceForm):
    """Send my answers: the answer set's version, to catch a send from a stale tab."""

    version = HiddenField()
