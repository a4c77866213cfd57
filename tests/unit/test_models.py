"""What the models make and accept without a database: resume codes, references, hashes."""

from __future__ import annotations

import re

import pytest

from app.models import (
    CODE_ALPHABET,
    IN_PROGRESS,
    AnswerSet,
    digest,
    is_reference,
    new_reference,
    normalise_resume_code,
    resume_code_for,
)


@pytest.mark.parametrize("typed", ["KX7P-93QD", "kx7p93qd", " kx7p 93qd ", "KX7P—93QD", "k-x-7-p-9-3-q-d"])
def test_a_resume_code_is_accepted_however_it_was_typed(typed):
    assert normalise_resume_code(typed) == "KX7P-93QD"


def test_a_resume_code_of_the_wrong_length_is_not_made_to_fit():
    assert normalise_resume_code("KX7P-93Q") == "KX7P93Q"


def test_a_new_answer_set_has_a_reference_code_and_link_stored_only_as_hashes():
    answer_set, token, code = AnswerSet.start("liver-laser-ablation", 7, key="test-only")
    assert re.fullmatch(rf"[{CODE_ALPHABET}]{{4}}-[{CODE_ALPHABET}]{{4}}", code)
    assert answer_set.resume_code_hash == digest(code) and answer_set.token_hash == digest(token)
    assert code not in (answer_set.resume_code_hash, answer_set.token_hash) and len(digest(code)) == 64
    assert is_reference(answer_set.reference)
    assert (answer_set.answers, answer_set.pages_saved, answer_set.content_version_id) == ({}, {}, 7)
    assert answer_set.status in (None, IN_PROGRESS)  # the column default, until it is saved


def test_codes_avoid_characters_that_read_alike():
    assert not set("0O1IL5S2Z8B") & set(CODE_ALPHABET)


def test_new_references_have_the_reference_shape():
    assert all(is_reference(new_reference()) for _ in range(50))


@pytest.mark.parametrize("text", ["PFP-AAAAAA", "PFP-KX7P93"])
def test_a_reference_is_the_prefix_and_six_code_characters(text):
    assert is_reference(text)


@pytest.mark.parametrize("text", ["AAAAAA", "PFP-AAAAA", "PFP-AAAAAAA", "pfp-AAAAAA", "PFP-AAAAA0", "PFP-AAAAA\x00",
                                  "PFP-" + "A" * 300, ""])
def test_anything_else_is_not_a_reference(text):
    assert not is_reference(text)


def test_the_resume_code_comes_from_the_link_with_the_key_and_from_nothing_else():
    answer_set, token, code = AnswerSet.start("liver-laser-ablation", 7, key="test-only")
    assert resume_code_for(token, "test-only") == code
    assert resume_code_for(token, "another key") != code
    assert resume_code_for(token + "x", "test-only") != code
    assert re.fullmatch(rf"[{CODE_ALPHABET}]{{4}}-[{CODE_ALPHABET}]{{4}}", resume_code_for("any", "key"))
