"""Which authenticator codes are accepted: this step's, one step either side, never one already used."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from app import second_factor

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
NOW = datetime(2026, 12, 2, 9, 30, 15)
STEP = second_factor.step_at(NOW)


@pytest.mark.parametrize("offset", [-1, 0, 1])
def test_a_code_within_one_step_of_now_is_accepted(offset):
    code = second_factor.code_for(SECRET, STEP + offset)
    assert second_factor.matching_step(SECRET, code, NOW) == STEP + offset


@pytest.mark.parametrize("offset", [-3, -2, 2, 3])
def test_a_code_two_or_more_steps_away_is_refused(offset):
    assert second_factor.matching_step(SECRET, second_factor.code_for(SECRET, STEP + offset), NOW) is None


def test_a_code_of_a_step_already_used_or_earlier_is_refused():
    code = second_factor.code_for(SECRET, STEP)
    assert second_factor.matching_step(SECRET, code, NOW, after=STEP) is None
    assert second_factor.matching_step(SECRET, second_factor.code_for(SECRET, STEP - 1), NOW, after=STEP) is None
    assert second_factor.matching_step(SECRET, second_factor.code_for(SECRET, STEP + 1), NOW, after=STEP) == STEP + 1


def test_a_code_typed_with_spaces_is_read_and_anything_else_refused():
    code = second_factor.code_for(SECRET, STEP)
    assert second_factor.matching_step(SECRET, f" {code[:3]} {code[3:]} ", NOW) == STEP
    for typed in ("", "12345", "1234567", "abcdef", code + "0"):
        assert second_factor.matching_step(SECRET, typed, NOW) is None


def test_steps_are_thirty_seconds_of_utc():
    assert second_factor.step_at(NOW + timedelta(seconds=30)) == STEP + 1
    assert int((NOW - datetime(1970, 1, 1)).total_seconds()) // 30 == STEP


def test_the_setup_address_names_the_service_and_account():
    uri = second_factor.setup_uri(SECRET, "nurse@example.org", "Prepare for your procedure")
    assert uri.startswith("otpauth://totp/Prepare%20for%20your%20procedure:nurse%40example.org?secret=" + SECRET)
    assert second_factor.spaced(SECRET) == "JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP"
