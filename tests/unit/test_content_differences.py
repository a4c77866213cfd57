"""What changed between two versions, in words: fields reworded, entries added and removed, figures changed."""

from dataclasses import replace
from datetime import date

from questionnaire_helpers import BREAST, LIVER, shipped

from app.content import YearMonth
from app.content.differences import differences

BREAST_PROCEDURE = shipped(BREAST).procedure
LIVER_PROCEDURE = shipped(LIVER).procedure


def said(old, new, **hashes) -> list[tuple[str, str, str, str]]:
    return [(d.what, d.field, d.before, d.after) for d in differences(old, new, **hashes)]


def with_outcome(procedure, index: int, **changes):
    outcomes = list(procedure.outcomes)
    outcomes[index] = replace(outcomes[index], **changes)
    return replace(procedure, outcomes=tuple(outcomes))


def test_the_same_version_has_no_differences():
    assert said(BREAST_PROCEDURE, BREAST_PROCEDURE) == []


def test_a_changed_figure_says_both_figures_with_their_citations():
    new = with_outcome(BREAST_PROCEDURE, 2, numerator=5, percent=14)
    assert said(BREAST_PROCEDURE, new) == [("Figure changed", "Problem: had small skin burns",
                                            "11% (4 out of 35), HTG55, section 2.4.1",
                                            "14% (5 out of 35), HTG55, section 2.4.1")]


def test_a_reworded_outcome_keeps_its_figure_and_says_what_was_reworded():
    new = with_outcome(BREAST_PROCEDURE, 2, label="had small burns on the skin")
    assert said(BREAST_PROCEDURE, new) == [("Reworded", "Problem: had small burns on the skin: what happened",
                                            "had small skin burns", "had small burns on the skin")]


def test_an_outcome_counted_as_something_else_is_named():
    new = with_outcome(BREAST_PROCEDURE, 1, effect="benefit")
    assert ("Changed", "Benefit: had no sign that the laser had damaged their cancer: counted as",
            "When it did not work", "Benefit") in said(BREAST_PROCEDURE, new)


def test_outcomes_added_and_removed():
    fewer = replace(BREAST_PROCEDURE, outcomes=BREAST_PROCEDURE.outcomes[:-1])
    bleeding = "2% (1 out of 44), HTG55, section 2.4.1"
    assert said(BREAST_PROCEDURE, fewer) == [("Removed", "Problem: had bleeding", bleeding, "")]
    assert said(fewer, BREAST_PROCEDURE) == [("Added", "Problem: had bleeding", "", bleeding)]


def test_list_entries_are_matched_around_the_ones_that_stayed():
    steps = LIVER_PROCEDURE.what_happens
    new = replace(LIVER_PROCEDURE, what_happens=(steps[0], "A new step.", steps[1], steps[2] + " Then you rest."),
                  uncertainties=LIVER_PROCEDURE.uncertainties[1:])
    assert said(LIVER_PROCEDURE, new) == [
        ("Added", "What happens, step 2", "", "A new step."),
        ("Reworded", "What happens, step 4", steps[2], steps[2] + " Then you rest."),
        ("Removed", "What is not known", LIVER_PROCEDURE.uncertainties[0], ""),
    ]


def test_fields_category_source_and_review_date():
    new = replace(LIVER_PROCEDURE, summary="A short summary.", category="standard", review_by=date(2028, 6, 1),
                  source=replace(LIVER_PROCEDURE.source, updated=YearMonth(2026, 6)))
    assert said(LIVER_PROCEDURE, new, old_source_sha256="a" * 64, new_source_sha256="b" * 64) == [
        ("Reworded", "Summary", LIVER_PROCEDURE.summary, "A short summary."),
        ("Changed", "NICE category", "special arrangements", "standard"),
        ("Changed", "Source: updated", "Not given", "June 2026"),
        ("Changed", "Source: the document's text", "SHA-256 aaaaaaaaaaaa", "SHA-256 bbbbbbbbbbbb"),
        ("Changed", "Review by", "1 December 2027", "1 June 2028"),
    ]


def test_support_contacts_and_options_are_known_by_name():
    contacts = LIVER_PROCEDURE.support_contacts
    new = replace(LIVER_PROCEDURE, support_contacts=(replace(contacts[0], phone="0800 000 0000"),))
    assert said(LIVER_PROCEDURE, new) == [
        ("Reworded", "Help and support: British Liver Trust", "0800 652 7330, Can give you advice and support.",
         "0800 000 0000, Can give you advice and support."),
        ("Removed", "Help and support: Your local Healthwatch", "You can also get support from your local Healthwatch.",
         ""),
    ]
