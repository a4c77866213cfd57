"""One form per clinician page."""

from __future__ import annotations

import re
from datetime import date, time

from wtforms import HiddenField, PasswordField, RadioField, SelectField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Regexp, ValidationError

from ..forms import DateInputField, ServiceForm, email_address, limited_text, nhs_number
from ..invitations import uk_today
from ..models import ADMIN, BILINGUAL_LETTERS, CLINIC_ADMIN, CLINIC_ROLES, CLINICIAN, ENGLISH_LETTERS, LETTER_LANGUAGES

NOT_REVIEWED = "not-reviewed"
REVIEWED = "reviewed"
STATUSES = (("", "All"), (NOT_REVIEWED, "Not reviewed"), (REVIEWED, "Reviewed"))
NEEDS_INTERPRETER = "interpreter"
NEEDS_FORMAT = "format"
NEEDS = ((NEEDS_INTERPRETER, "Needs an interpreter"), (NEEDS_FORMAT, "Needs another format"))


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
    clinic = SelectField("Clinic", validate_choice=False)
    procedure = SelectField("Procedure", validate_choice=False)
    status = RadioField(
        "Status", choices=[SelectChoice(v, t) for v, t in STATUSES], default="", validate_choice=False
    )
    needs = SelectMultipleField("Support needs", choices=[SelectChoice(v, t) for v, t in NEEDS],
                                validate_choice=False)
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


TIME = re.compile(r"(\d{1,2})[:.](\d{2})\s*(am|pm)?", re.IGNORECASE)
MOBILE = re.compile(r"(?:\+44\s?7|07)\d{3}\s?\d{3}\s?\d{3}")


def appointment_time(form, field):
    """14:30, 2:30pm or 2.30pm; kept as a time."""
    typed = (field.data or "").strip()
    match = TIME.fullmatch(typed)
    if not typed:
        raise ValidationError("Enter the appointment time")
    hour, minute = (int(match[1]), int(match[2])) if match else (99, 99)
    if match and match[3]:
        hour = hour % 12 + (12 if match[3].lower() == "pm" else 0) if 1 <= hour <= 12 else 99
    if hour > 23 or minute > 59:
        raise ValidationError("Enter a real time, like 14:30 or 2:30pm")
    field.time = time(hour, minute)


def uk_mobile(form, field):
    field.data = (field.data or "").strip()
    if field.data and not MOBILE.fullmatch(field.data.replace("-", " ").replace("  ", " ")):
        raise ValidationError("Enter a UK mobile number, like 07700 900 982")


class InvitationForm(ServiceForm):
    """Invite a patient: the clinic, procedure and appointment; what staff know of them, if anything."""

    clinic = SelectField("Clinic", validate_choice=False)
    procedure = SelectField("Procedure", validate_choice=False)
    appointment_date = DateInputField("Appointment date", thing="the appointment date")
    appointment_time = StringField("Appointment time", description="For example, 14:30 or 2:30pm",
                                   validators=[Length(max=10), appointment_time])
    name = StringField("Patient's name (optional)", validators=[Length(max=100, message="Name must be 100 "
                                                                                        "characters or fewer")])
    nhs_number = StringField("NHS number (optional)", description="10 digits, like 943 476 5919",
                             validators=[Length(max=20), nhs_number], render_kw={"inputmode": "numeric"})
    email = StringField("Email address (optional)", description="We email the link to this address, "
                        "and one reminder before the appointment if they have not sent their answers.",
                        validators=[email_address], render_kw={"spellcheck": "false"})
    mobile = StringField("Mobile number (optional)", description="Kept with the invitation for the clinic "
                         "to call. The service does not send text messages.", validators=[uk_mobile],
                         )

    def validate_clinic(self, field):
        if not field.data or field.data not in {c.value for c in field.choices}:
            raise ValidationError("Select the clinic")

    def validate_procedure(self, field):
        if not field.data or field.data not in {c.value for c in field.choices}:
            raise ValidationError("Select the procedure")

    def validate_appointment_date(self, field):
        if field.data is None and not any(field.raw.values()):
            field.parts_in_error = ("day",)
            raise ValidationError("Enter the appointment date")
        if field.data and field.data < uk_today():
            field.parts_in_error = ("day", "month", "year")
            raise ValidationError("The appointment date must be today or in the future")


def letters_field() -> RadioField:
    return RadioField(
        "Letters and emails to patients in", default=ENGLISH_LETTERS, validate_choice=False,
        description="Invitation letters and emails, and reminders to a patient who has not yet opened their "
                    "link. In Wales, write in Welsh and English to a patient whose language you do not know.",
        choices=[SelectChoice(ENGLISH_LETTERS, "English"),
                 SelectChoice(BILINGUAL_LETTERS, "Welsh and English (Welsh first)")])


def validate_letters(form, field):
    if field.data not in LETTER_LANGUAGES:
        raise ValidationError("Select the language of the clinic's letters")


class ClinicForm(ServiceForm):
    name = StringField("Clinic name", description='The team and the hospital, like "Breast surgery, Royal '
                       'Example"', validators=[InputRequired("Enter the clinic's name"), Length(max=120)])
    slug = StringField("Short name for links and the command line",
                       description="Lower-case letters, numbers and hyphens, like breast-royal",
                       validators=[InputRequired("Enter a short name"), Length(max=60),
                                   Regexp(r"[a-z0-9]+(-[a-z0-9]+)*$", message="Short name must be lower-case "
                                          "letters, numbers and hyphens, like breast-royal")])
    inbox = StringField("Shared inbox (optional)", description="Told when answers arrive that need action. "
                        "The email has a reference only.", validators=[email_address],
                        render_kw={"spellcheck": "false"})
    letters = letters_field()
    validate_letters = validate_letters


class LettersForm(ServiceForm):
    letters = letters_field()
    validate_letters = validate_letters


class MemberForm(ServiceForm):
    email = StringField("Email address of their account", validators=[
        InputRequired("Enter the email address of their account"), Length(max=254)],
        render_kw={"spellcheck": "false"})
    role = RadioField("Role", choices=[SelectChoice(CLINICIAN, "Clinician: sees and works on the clinic's "
                                                               "patients"),
                                       SelectChoice(CLINIC_ADMIN, "Clinic admin: also manages members and "
                                                                  "reads the audit")],
                      default=CLINICIAN, validate_choice=False)

    def validate_role(self, field):
        if field.data not in CLINIC_ROLES:
            raise ValidationError("Select a role")


class ActionForm(ServiceForm):
    """A button that changes something: its CSRF token only."""


class AssignForm(ServiceForm):
    clinic = SelectField("Move to clinic", validate_choice=False)


class CodeForm(ServiceForm):
    """The 6-digit code an authenticator app shows."""

    code = StringField("Code from your authenticator app", description="The 6 numbers the app shows now",
                       validators=[InputRequired("Enter the 6-digit code from your authenticator app"),
                                   Length(max=20, message="Enter the 6-digit code from your authenticator app")],
                       render_kw={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"})


class SetUpCodeForm(CodeForm):
    """Setting up an authenticator while signed in: the password again first, as a session left open is not you."""

    password = PasswordField("Your password", validators=[InputRequired("Enter your password"), Length(max=1000)],
                             render_kw={"autocomplete": "current-password"})


class RecoveryCodeForm(ServiceForm):
    code = StringField("Recovery code", description="One of the 10 codes you saved, like ACDEF-GHJKM. "
                       "Each works once.",
                       validators=[InputRequired("Enter one of your recovery codes"),
                                   Length(max=30, message="Enter one of your recovery codes, like ACDEF-GHJKM")],
                       render_kw={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"})


def new_password_field(label: str = "New password") -> PasswordField:
    return PasswordField(label, description="At least 12 characters. A few unrelated words are easy to remember "
                         "and hard to guess.", validators=[InputRequired("Enter a new password")],
                         render_kw={"autocomplete": "new-password"})


def confirm_field() -> PasswordField:
    return PasswordField("Type the new password again", validators=[InputRequired("Type the new password again")],
                         render_kw={"autocomplete": "new-password"})


class NewPasswordForm(ServiceForm):
    """A new password, typed twice; the page checks it against the rules (accounts.password_problem)."""

    password = new_password_field()
    confirm = confirm_field()

    def validate_confirm(self, field):
        if self.password.data and field.data != self.password.data:
            raise ValidationError("The two passwords are different. Type the same new password twice")


class ChangePasswordForm(ServiceForm):
    current = PasswordField("Current password", validators=[InputRequired("Enter your current password"),
                                                            Length(max=1000)],
                            render_kw={"autocomplete": "current-password"})
    password = new_password_field()
    confirm = confirm_field()
    validate_confirm = NewPasswordForm.validate_confirm


class RoleForm(ServiceForm):
    role = RadioField("Service role", choices=[
        SelectChoice(CLINICIAN, "Clinician: sees the clinics they are a member of"),
        SelectChoice(ADMIN, "Service admin: sees every clinic, manages clinics and accounts. Needs a second "
                            "factor to sign in with a password")], validate_choice=False)

    def validate_role(self, field):
        if field.data not in (CLINICIAN, ADMIN):
            raise ValidationError("Select a role")


class AccountMembershipForm(ServiceForm):
    """Add an account to a clinic, from the account's page."""

    clinic = SelectField("Clinic", validate_choice=False)
    clinic_role = RadioField("Role in the clinic", choices=MemberForm.role.kwargs["choices"], default=CLINICIAN,
                             validate_choice=False)

    def validate_clinic(self, field):
        if not field.data or field.data not in {c.value for c in field.choices}:
            raise ValidationError("Select the clinic")

    def validate_clinic_role(self, field):
        if field.data not in CLINIC_ROLES:
            raise ValidationError("Select a role")


class NewAccountForm(ServiceForm):
    email = StringField("Work email address", validators=[InputRequired("Enter their work email address"),
                                                          email_address], render_kw={"spellcheck": "false"})


class PublishForm(ServiceForm):
    """Publish a draft: the version the administrator looked at, so a file changed since is not published unseen."""

    version = HiddenField()


class CompareForm(ServiceForm):
    """Which two versions of a procedure to compare, read from the query string so a comparison can be linked."""

    class Meta:
        csrf = False

    from_version = SelectField("From", validate_choice=False)
    to_version = SelectField("To", validate_choice=False)
