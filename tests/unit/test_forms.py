"""Field rules (app/forms.py) without a request: the NHS number check and the date boxes."""

from __future__ import annotations

from datetime import date

import pytest
from werkzeug.datastructures import MultiDict
from wtforms import Form, StringField

from app.forms import CONTROL_CHARACTERS, DateInputField, nhs_number, nhs_number_is_valid


class NhsNumberForm(Form):
    number = StringField(validators=[nhs_number])


class DateForm(Form):
    when = DateInputField(thing="appointment date")


def checked_number(typed: str) -> tuple[str, list[str]]:
    form = NhsNumberForm(MultiDict({"number": typed}))
    form.validate()
    return form.number.data, form.number.errors


@pytest.mark.parametrize("digits", ["9434765919", "4857773457", "9000000009"])
def test_real_nhs_numbers_pass_the_modulus_11_check(digits):
    assert nhs_number_is_valid(digits)


@pytest.mark.parametrize("digits", ["9434765910", "9434765918", "943476591", "94347659190", "943476591X", ""])
def test_a_wrong_check_digit_or_length_fails(digits):
    assert not nhs_number_is_valid(digits)


def test_a_number_whose_check_would_be_10_is_never_real():
    # 1000000010: weights give 10 * 1 + 2 * 1 = 12, 12 % 11 = 1, check 10: no number has it.
    assert not nhs_number_is_valid("1000000010")


@pytest.mark.parametrize("typed", ["9434765919", "943 476 5919", "943-476-5919", " 943 476 5919 "])
def test_an_nhs_number_is_stored_in_groups_of_3_3_and_4(typed):
    assert checked_number(typed) == ("943 476 5919", [])


@pytest.mark.parametrize("typed, error", [
    ("12345", "NHS number must be 10 digits"),
    ("94347659AB", "NHS number must be 10 digits"),
    ("943 476 5910", "Check your NHS number. The number you entered is not a real NHS number"),
])
def test_a_wrong_nhs_number_says_what_to_fix(typed, error):
    assert checked_number(typed)[1] == [error]


def test_no_nhs_number_is_fine_and_stored_empty():
    assert checked_number("   ") == ("", [])


def date_form(**parts: str) -> DateForm:
    form = DateForm(MultiDict({f"when[{part}]": value for part, value in parts.items()}))
    form.validate()
    return form


def test_three_boxes_make_a_date():
    form = date_form(day="3", month="11", year="2027")
    assert (form.when.data, form.when.errors) == (date(2027, 11, 3), [])


def test_empty_boxes_are_no_date_and_no_error():
    form = date_form()
    assert (form.when.data, form.when.errors) == (None, [])


@pytest.mark.parametrize("parts, error, in_error", [
    ({"day": "3", "year": "2027"}, "Appointment date must include a month", ("month",)),
    ({"day": "3"}, "Appointment date must include a month and year", ("month", "year")),
    ({"day": "31", "month": "2", "year": "2027"}, "Appointment date must be a real date", ("day", "month", "year")),
    ({"day": "1", "month": "1", "year": "27"}, "Year must include 4 numbers", ("year",)),
])
def test_a_wrong_date_names_the_boxes_to_fix(parts, error, in_error):
    form = date_form(**parts)
    assert (form.when.data, form.when.errors, form.when.parts_in_error) == (None, [error], in_error)


def test_a_wrong_date_is_shown_back_as_typed():
    assert date_form(day=" 31 ", month="2", year="2027").when._value() == {"day": "31", "month": "2", "year": "2027"}


def test_control_characters_are_removed_but_tabs_and_line_breaks_stay():
    assert CONTROL_CHARACTERS.sub("", "a\x00b\x1bc\x7f\x9fd\te\nf\r") == "abcd\te\nf\r"
