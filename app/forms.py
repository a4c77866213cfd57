"""What every form in the service shares: the base form, field types and validators."""

from __future__ import annotations

import re
from datetime import date

from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import Field, RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, ValidationError

from .i18n import gettext
from .i18n import lazy_gettext as _l

NOTE_LIMIT = 1000
DATE_PARTS = ("day", "month", "year")
# Control characters other than tab and line breaks: nobody types them, nothing
# shows them, and PostgreSQL refuses NUL in text.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


class ServiceForm(FlaskForm):
    """Every form in the service: reads what was sent without invisible control characters."""

    class Meta:
        def wrap_formdata(self, form, formdata):
            # Removed, not refused: they are invisible, so an error about them
            # could not say what to fix. Done to everything the form reads, so
            # every field, subforms included, is cleaned the same way.
            formdata = super().wrap_formdata(form, formdata)
            if formdata is None:
                return None
            return MultiDict([
                (name, CONTROL_CHARACTERS.sub("", value) if isinstance(value, str) else value)
                for name, value in formdata.items(multi=True)
            ])


def too_long(thing, limit: int):
    """'Name must be 100 characters or fewer', in the language of the page that shows it."""
    return _l("%(thing)s must be %(limit)s characters or fewer", thing=thing, limit=format(limit, ","))


def limited_text(label: str, thing: str, limit: int = NOTE_LIMIT, **kwargs) -> TextAreaField:
    """A text box whose limit is stated on the page and enforced, never silently cut."""
    return TextAreaField(
        label,
        validators=[Length(max=limit, message=too_long(thing, limit))],
        render_kw={"maxlength": limit},
        **kwargs,
    )


def choice(label: str, choices, message: str = "", **kwargs) -> RadioField:
    """Radios; with a `message` (an instruction naming the item), an answer is required."""
    allowed = [value for value, _ in choices]
    return RadioField(
        label,
        choices=[SelectChoice(value, text) for value, text in choices],
        validate_choice=False,
        validators=[_one_of(allowed, message)],
        **kwargs,
    )


def _one_of(allowed: list[str], message: str):
    def check(form, field):
        if field.data not in allowed:
            field.data = None  # a tampered value is dropped, not stored
            if message:
                raise ValidationError(message)

    return check


def nhs_number_is_valid(digits: str) -> bool:
    """Modulus 11: weights 10..2 on the first nine digits give the tenth."""
    if not re.fullmatch(r"\d{10}", digits):
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1)))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def nhs_number(form, field):
    typed = (field.data or "").strip()
    if not typed:
        field.data = ""
        return
    digits = re.sub(r"[\s-]", "", typed)
    if not digits.isdigit() or len(digits) != 10:
        raise ValidationError(gettext("NHS number must be 10 digits"))
    if not nhs_number_is_valid(digits):
        raise ValidationError(gettext("Check your NHS number. The number you entered is not a real NHS number"))
    field.data = f"{digits[:3]} {digits[3:6]} {digits[6:]}"


class DateInputField(Field):
    """An NHS.UK date input: separate day, month and year boxes named `<name>[day]` etc.

    Keeps what was typed in `raw` so a wrong date is shown back as typed.
    """

    def __init__(self, label=None, validators=None, thing="the date", **kwargs):
        super().__init__(label, validators, **kwargs)
        self.thing = thing
        self.raw = dict.fromkeys(DATE_PARTS, "")
        self.parts_in_error: tuple[str, ...] = ()

    def process(self, formdata, data=None, extra_filters=None):
        self.process_errors = []
        self.data = data if isinstance(data, date) else None
        if self.data:
            self.raw = {"day": str(self.data.day), "month": str(self.data.month), "year": str(self.data.year)}
        if formdata is not None:
            self.raw = {p: formdata.get(f"{self.name}[{p}]", "").strip() for p in DATE_PARTS}
            self.data = None

    def pre_validate(self, form):
        typed = {p: v for p, v in self.raw.items() if v}
        if not typed:
            return
        missing = [p for p in DATE_PARTS if p not in typed]
        if missing:
            self.parts_in_error = tuple(missing)
            raise ValidationError(_must_include(self.thing, missing))
        try:
            self.data = date(int(typed["year"]), int(typed["month"]), int(typed["day"]))
        except ValueError:
            self.parts_in_error = DATE_PARTS
            raise ValidationError(gettext("%(thing)s must be a real date", thing=capital(self.thing))) from None
        if len(typed["year"]) != 4:
            self.data = None
            self.parts_in_error = ("year",)
            raise ValidationError(gettext("Year must include 4 numbers"))

    def _value(self):
        return self.raw


def capital(thing) -> str:
    """'appointment date' at the start of a message: 'Appointment date' (the rest left as it is)."""
    words = str(thing)
    return words[:1].upper() + words[1:]


# The parts of a date a message can name as missing, worded once.
_PART_WORDS = {"day": _l("day"), "month": _l("month"), "year": _l("year")}


def _must_include(thing, missing: list[str]) -> str:
    """'Appointment date must include a month and year'."""
    parts = [str(_PART_WORDS[p]) for p in missing]
    named = parts[0] if len(parts) == 1 else gettext("%(first)s and %(second)s", first=parts[0], second=parts[1])
    return gettext("%(thing)s must include a %(parts)s", thing=capital(thing), parts=named)


EMAIL_ADDRESS = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")


def email_address(form, field):
    """An address mail can go to: something@somewhere.tld, with no spaces; an empty one passes."""
    field.data = (field.data or "").strip()
    if field.data and (len(field.data) > 254 or not EMAIL_ADDRESS.fullmatch(field.data)):
        raise ValidationError(gettext("Enter an email address like name@example.com"))
