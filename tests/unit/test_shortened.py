"""How page one cuts a long answer: at a word, with an ellipsis, never longer than asked."""

import pytest

from app.templating import shortened


def test_text_that_fits_is_left_whole():
    assert shortened("Can I drive home?", 17) == "Can I drive home?"


def test_long_text_is_cut_after_a_whole_word_with_an_ellipsis():
    cut = shortened("Will I need someone to drive me home afterwards, and for how long?", 40)
    assert cut == "Will I need someone to drive me home…"
    assert len(cut) <= 40


@pytest.mark.parametrize("text", ["See https://example.org/" + "a" * 80, "x" * 200])
def test_one_long_word_is_cut_where_it_must_be(text):
    cut = shortened(text, 50)
    assert len(cut) == 50 and cut.endswith("…") and text.startswith(cut[:-1])
