"""One form per clinician page."""

from __future__ import annotations

from datetime import date

from wtforms import HiddenField, PasswordField, RadioField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, ValidationError

from ..forms import DateInputField, ServiceForm, limited_text

NOT_REVIEWED = "not-reviewed"
REVIEWED = "reviewed"
STATUSES = (("", "All"), (NOT_REVIEWED, "Not reviewed"), (REVIEWED, "Reviewed"))


class LoginForm(ServiceForm):
    email = StringField(
        "Email address",
        validators=[InputRequired("Enter your email address"), Length(max=254)],
        render_kw={"autocomplete": "username", "spellcheck": "false"},
    )
    password = PasswordField(
        "Password",
        validators=[InputRequired("Enter your password"), Length(max=1000)],
        render_kw={"autocomplete": "current-password"},
    )


class FilterForm(ServiceForm):
    """The list's filters, read from the query string so a filtered list can be bookmarked."""

    class Meta:
        csrf = False

    reference = StringField("Reference", validators=[Length(max=16)], render_kw={"spellcheck": "false"})
    procedure = SelectField("Procedure", validate_choice=False)
    status = RadioField(
        "Status", choices=[SelectChoice(v, t) for v, t in STATUSES], default="", validate_choice=False
    )
    sent_from = DateInputField("Sent on or after", thing="the first date")
    sent_to = DateInputField("Sent on or before", thing="the last date")

    def validate_sent_to(self, field):
        if field.data and self.sent_from.data and field.data < self.sent_from.data:
            field.parts_in_error = ("day", "month", "year")
            raise ValidationError("The last date must be the same as or after the first date")
        if field.data == date.max:
            # The search runs to the end of the day, which is past the end of the calendar.
            field.parts_in_error = ("year",)
            raise ValidationError("The last date must be before 31 December 9999")


class ReviewForm(ServiceForm):
    """Mark as reviewed: a button and its CSRF token."""


class NoteForm(ServiceForm):
    text = limited_text("Add a note", "Note")

    def validate_text(self, field):
        if not (field.data or "").strip():
            raise ValidationError("Enter a note")


class PublishForm(ServiceForm):
    """Publish a draft: the version the administrator looked at, so a file changed since is not published unseen."""

    version = HiddenField()


class CompareForm(ServiceForm):
    """Which two versions of a procedure to compare, read from the query string so a comparison can be linked."""

    class Meta:
        csrf = False

    from_version = SelectField("From", validate_choice=False)
    to_version = SelectField("To", validate_choice=False)
