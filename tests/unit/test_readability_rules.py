"""The plain-English rules in the app give the verdicts tests/test_readability.py gives today."""

from app.content.readability import (
    MIN_WORDS,
    SENTENCE_BAR,
    TERMS,
    TEXT_BAR,
    plain,
    problems,
    sentences,
)

HARD = ("Percutaneous interventional methodologies necessitate comprehensive multidisciplinary "
        "evaluation of contraindications preceding administration.")
EASY = "You can stop at any time. Your answers are saved."


def test_the_bars_are_the_readmes():
    assert (TEXT_BAR, SENTENCE_BAR, MIN_WORDS) == (6.0, 9.0, 8)


def test_hard_text_fails_both_bars_with_todays_messages():
    assert problems("example", [HARD]) == [
        f"example: grade 38.0 is above 6.0. Hardest sentences: 38.0 {HARD!r}",
        f"example: sentence at grade 38.0: {HARD!r}",
    ]


def test_easy_text_passes():
    assert problems("example", [EASY]) == []


def test_one_hard_sentence_among_easy_ones_is_named_hardest_first():
    hard = ("Notwithstanding institutional considerations, practitioners should contemporaneously document "
            "unanticipated complications.")
    easy = "Your answers are saved as you go, so nothing is lost if you close the page."
    assert problems("page", ["You can stop at any time.", easy, hard]) == [
        f"page: grade 12.8 is above 6.0. Hardest sentences: 39.1 {hard!r}; 3.9 {easy!r}",
        f"page: sentence at grade 39.1: {hard!r}",
    ]


def test_a_named_treatment_is_scored_as_one_short_word():
    line = "A doctor uses radiofrequency ablation or cryotherapy with ultrasound to find the lump."
    assert problems("terms", [line]) == []
    assert plain(line) == "A doctor uses term term or term with term to find the lump."
    assert "Healthwatch" in TERMS


def test_lines_are_scored_once_with_spaces_collapsed_and_a_full_stop():
    assert plain("  Having   fewer appointments ") == "Having fewer appointments."
    assert plain("Is it safe?") == "Is it safe?"
    # "Very important" twice is read once: the verdict is that of the two different lines.
    assert problems("options", ["Very important", "Very important", "Not important"]) == problems(
        "options", ["Very important", "Not important"])


def test_short_sentences_count_only_in_their_text():
    assert sentences(["Short one. This sentence has at least eight words in it, so it counts."]) == [
        "This sentence has at least eight words in it, so it counts."]
    # Scored alone, "Having fewer hospital appointments afterwards" is grade 17; it is too short to be.
    short = problems("short", ["Having fewer hospital appointments afterwards"])
    assert not any("sentence at grade" in p for p in short)
