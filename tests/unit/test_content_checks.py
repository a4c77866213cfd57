"""The content check that gates publishing: each gate, and what it tells an editor (file: field: what to do)."""

from datetime import date

import pytest

from app.content import checks
from app.content.drafting import draft
from app.content.readability import field_problems
from app.questionnaire.definition import QUESTIONNAIRE
from publishing import TODAY
from support import edit

BREAST = "breast-interstitial-laser-therapy.toml"
LIVER = "liver-laser-ablation.toml"
BURNS = "numerator = 4\ndenominator = 35\npercent = 11"


def check(folder, today: date = TODAY, **kwargs) -> checks.Report:
    return checks.check(QUESTIONNAIRE, today, folder=folder, **kwargs)


def problems(folder, **kwargs) -> list[str]:
    found = check(folder, **kwargs).problems
    assert found, "expected problems"
    return found


def test_the_shipped_files_pass_today():
    """Fails once a shipped file's review-by date passes: check it against NICE and set a new date."""
    report = checks.check(QUESTIONNAIRE, date.today())
    assert report.problems == []
    assert [c.procedure.slug for c in report.passed] == ["breast-interstitial-laser-therapy", "liver-laser-ablation"]


def test_a_passing_file_carries_the_hash_of_the_source_it_was_traced_in():
    report = checks.check(QUESTIONNAIRE, TODAY)
    hashes = {c.procedure.slug: c.source_sha256 for c in report.passed}
    assert len(hashes["breast-interstitial-laser-therapy"]) == 64 and len(set(hashes.values())) == 2


def test_one_failing_file_does_not_hold_back_the_others(content_dir):
    edit(content_dir, BREAST, "numerator = 43", "numerator = 42")
    report = check(content_dir)
    assert [c.procedure.slug for c in report.passed] == ["liver-laser-ablation"]
    assert not report.file("breast-interstitial-laser-therapy").passed


@pytest.mark.parametrize("old, new, expected", [
    (BURNS, "numerator = 5\ndenominator = 35\npercent = 14",
     f"{BREAST}: outcomes[2]: HTG55, section 2.4.1 does not state 14% (5 out of 35). "
     "Copy the figure exactly from the section it cites"),
    ('cite = "HTG55, section 2.4.1"', 'cite = "HTG55, section 2.3.1"',
     f"{BREAST}: outcomes[2]: HTG55, section 2.3.1 does not state 11% (4 out of 35)"),
    ('cite = "HTG55, section 2.4.1"', 'cite = "section 2.4.1"',
     f"{BREAST}: outcomes[2]: 'section 2.4.1' is not a citation like 'HTG55, section 2.3.1'"),
], ids=["wrong-figure", "wrong-section", "not-a-citation"])
def test_a_figure_that_does_not_trace_to_its_source_sentence(content_dir, old, new, expected):
    edit(content_dir, BREAST, old, new)
    assert any(p.startswith(expected) for p in problems(content_dir))


def test_counts_given_without_their_percentage_still_trace_and_show_their_share_of_100(content_dir):
    edit(content_dir, BREAST, BURNS, "numerator = 4\ndenominator = 35")
    report = check(content_dir)
    assert report.problems == []
    burns = next(c for c in report.passed if c.procedure.slug.startswith("breast")).procedure.outcomes[2]
    assert (burns.percent, burns.per_100) == (None, 11)


def test_a_percentage_that_disagrees_with_its_counts(content_dir):
    edit(content_dir, BREAST, "percent = 11", "percent = 14")
    assert (f"{BREAST}: outcomes[2].percent: is 14, but 4 of 35 is 11.4%. Copy the percentage and the counts "
            "exactly as the source gives them") in problems(content_dir)


def test_a_source_document_that_is_not_kept(content_dir, tmp_path):
    assert (f"{BREAST}: source.document: 'nice-htg55-interstitial-laser-therapy-breast-cancer.txt' is not in "
            f"{tmp_path}. Put the NICE text there, under that name, so its figures can be traced"
            ) in problems(content_dir, sources=tmp_path)


def test_a_source_document_that_is_not_nice_text(content_dir, tmp_path):
    for name in ("nice-htg55-interstitial-laser-therapy-breast-cancer.txt",
                 "nice-liver-laser-ablation-information-for-the-public.txt"):
        (tmp_path / name).write_text("My notes\nBuy milk\n")
    assert any(p.startswith(f"{BREAST}: source.document: 'nice-htg55-interstitial-laser-therapy-breast-cancer.txt' "
                            "cannot be read: the line under the title should say") for p in
               problems(content_dir, sources=tmp_path))


@pytest.mark.parametrize("old, new, expected", [
    ("published = 2004-09-22", "published = 2004-09-23",
     f"{BREAST}: source.published: is 2004-09-23, but the document was published on 22 September 2004. "
     "Write 2004-09-22"),
    ('title = "Interstitial laser therapy for breast cancer"\npublished',
     'title = "Interstitial laser therapy for cancer"\npublished',
     f"{BREAST}: source.title: is 'Interstitial laser therapy for cancer', but the document says 'Interstitial "
     "laser therapy for breast cancer'. Copy it from the document"),
    ('updated = "2026-01"', 'updated = ""',
     f'{BREAST}: source.updated: is "", but the document\'s latest update is "2026-01" (January 2026). '
     'Write "2026-01"'),
    ('updated = "2026-01"', 'updated = "2026-02"',
     f'{BREAST}: source.updated: is "2026-02", but the document\'s latest update is "2026-01" (January 2026). '
     'Write "2026-01"'),
    ('updated = "2026-01"', 'updated = "January 2026"',
     f'{BREAST}: source.updated: write the month as "2026-01", the year and month in numbers: pages say it in '
     'their own language'),
    ('updated = "2026-01"', 'updated = "Jan 26"',
     f'{BREAST}: source.updated: is \'Jan 26\'. Write the year and month as in "2026-01", or "" for none'),
], ids=["published", "title", "updated", "updated-wrong-month", "updated-in-words", "updated-unreadable"])
def test_source_details_that_the_document_does_not_give(content_dir, old, new, expected):
    edit(content_dir, BREAST, old, new)
    assert expected in problems(content_dir)


def test_outcomes_cannot_cite_information_for_the_public(content_dir):
    edit(content_dir, LIVER, "[[questions]]", '[[outcomes]]\nkind = "safety"\neffect = "harm"\nlabel = "had pain"\n'
         'numerator = 1\ndenominator = 10\nstudy = "a study"\ncite = "IPG1, section 2.1"\n\n[[questions]]')
    assert (f"{LIVER}: outcomes: 'nice-liver-laser-ablation-information-for-the-public.txt' is information for "
            "the public, which has no numbered sections to cite. Cite the guidance it comes from instead"
            ) in problems(content_dir)


def test_outcomes_shown_together_out_of_different_numbers_must_say_so(content_dir):
    edit(content_dir, BREAST, "[different_groups]\nharm =", "[different_groups]\n# harm =")
    assert (f"{BREAST}: different_groups.harm: the harms are out of 20, 35 and 44 people, so they cannot be "
            "compared as they stand. Say in plain words that they come from different groups of people"
            ) in problems(content_dir)


def test_saying_outcomes_come_from_different_groups_when_they_share_one_is_refused(content_dir):
    edit(content_dir, BREAST, "[different_groups]\n", '[different_groups]\nbenefit = "From different groups."\n')
    assert (f"{BREAST}: different_groups.benefit: the benefits all come from one group of 44 people. Remove this, "
            "or the page says something untrue") in problems(content_dir)


HARD = ("Percutaneous interventional methodologies necessitate comprehensive multidisciplinary evaluation of "
        "contraindications.")


def test_a_patient_facing_field_above_grade_6(content_dir):
    edit(content_dir, LIVER, '"Scans, such as ultrasound, show the team where the fibres are and how the treatment '
                             'is going."', f'"{HARD}"')
    found = problems(content_dir)
    assert any(p.startswith(f"{LIVER}: what_happens[1]: reads at grade ") and p.endswith(
        ", above 6. Use shorter sentences and everyday words") for p in found)
    assert any(p.startswith(f"{LIVER}: what_happens[1]: the sentence 'Percutaneous") and p.endswith(
        ", above 9. Split it, or use shorter words") for p in found)


def test_short_fields_count_in_the_whole_file_and_are_named_when_it_is_too_hard():
    """Too short to be scored alone, as on a page; together they are, and the hardest are named."""
    short = [("title", "Postprocedural haemorrhagic complications"), ("short_title", "Cutaneous thermal injury"),
             ("what_matters[0].text", "Avoiding surgery if I can")]
    assert field_problems("example.toml", short) == [
        "example.toml: (all fields together): read at grade 19.1, above 6. Make the hardest plainer first: "
        "title, short_title, what_matters[0].text"]


@pytest.mark.parametrize("review_by, expected", [
    (None, f"{LIVER}: review_by: is missing. Add the date by which this file must be checked against NICE again, "
           "as YYYY-MM-DD with no quotes, no more than 3 years from now"),
    ("2026-12-01", f"{LIVER}: review_by: 1 December 2026 has passed. Check the file against the latest NICE "
                   "guidance, then set a new review-by date"),
    ("2029-12-03", f"{LIVER}: review_by: 3 December 2029 is more than 3 years away. Set a date on or before "
                   "2 December 2029, so the file is checked against NICE again in time"),
    ("2020-01-01", f"{LIVER}: review_by: 1 January 2020 is before the source was published (16 May 2024). "
                   "Check the date"),
], ids=["missing", "passed", "too-far-ahead", "before-the-source"])
def test_a_review_by_date_that_has_not_passed_and_is_not_too_far_ahead(content_dir, review_by, expected):
    edit(content_dir, LIVER, "review_by = 2027-12-01", f"review_by = {review_by}" if review_by else "")
    assert expected in problems(content_dir)


def test_the_version_patients_see_is_not_refused_for_its_passed_review_date(content_dir):
    """It is flagged instead (versions.overdue): patients are not left without information."""
    later = date(2028, 1, 1)
    live = {c.slug: c.version for c in check(content_dir).files}
    assert check(content_dir, later, live=live).problems == []
    assert any(p.startswith(f"{LIVER}: review_by: 1 December 2027 has passed") for p in
               check(content_dir, later, live={"breast-interstitial-laser-therapy": live[
                   "breast-interstitial-laser-therapy"]}).problems)


def test_a_procedure_nice_says_not_to_use_cannot_be_published(content_dir):
    edit(content_dir, LIVER, 'category = "special arrangements"', 'category = "do not use"')
    assert (f"{LIVER}: category: NICE says 'do not use', so this procedure cannot be offered to patients. Remove "
            "the file to stop offering it") in problems(content_dir)


def test_a_category_that_is_not_one_of_nices_four(content_dir):
    edit(content_dir, LIVER, 'category = "special arrangements"', 'category = "special"')
    assert any(p.startswith(f"{LIVER}: category: 'special' is not one of 'standard', 'special arrangements'")
               for p in problems(content_dir))


def test_a_draft_fails_until_its_todos_are_written(tmp_path):
    public = (checks.SOURCES_DIR / "nice-liver-laser-ablation-information-for-the-public.txt").read_text()
    (tmp_path / "example.toml").write_text(draft(None, public))
    report = check(tmp_path)
    assert "example.toml: title: is still a TODO. Write it, as the TODO says" in report.problems
    assert report.passed == [] and report.file("example").content is None
