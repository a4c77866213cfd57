"""Content files are read and checked without the app: every rule names the file, the field and the problem."""

import pytest
from questionnaire_helpers import version_from_text

from app.content import files
from support import edit

BREAST = "breast-interstitial-laser-therapy.toml"
LIVER = "liver-laser-ablation.toml"


def problems(folder) -> str:
    found, errors = files.read_folder(folder)
    assert errors, "expected problems"
    return "\n".join(errors)


def test_shipped_content_loads_both_procedures():
    found, errors = files.read_folder()
    procedures = {f.procedure.slug: f.procedure for f in found}
    assert errors == [] and list(procedures) == ["breast-interstitial-laser-therapy", "liver-laser-ablation"]
    breast = procedures["breast-interstitial-laser-therapy"]
    assert breast.category == "research only"
    assert procedures["liver-laser-ablation"].category == "special arrangements"
    # Shared standard questions come first, then the procedure's own.
    ids = [q.id for q in breast.all_questions]
    assert ids[0] == "appointments" and "research-study" in ids


@pytest.mark.parametrize(
    "name, old, new, expected",
    [
        (BREAST, 'title = "Interstitial laser therapy for breast cancer"\n', "", f"{BREAST}: title: is missing"),
        (LIVER, 'category = "special arrangements"', 'category = "special"',
         f"{LIVER}: category: 'special' is not one of"),
        (BREAST, "numerator = 4\ndenominator = 35", "numerator = 36\ndenominator = 35",
         f"{BREAST}: outcomes[2].numerator: is 36, more than the denominator (35)"),
        (BREAST, "percent = 11", "percent = 41", f"{BREAST}: outcomes[2].percent: is 41, but 4 of 35 is 11.4%"),
        (BREAST, "denominator = 20", 'denominator = "20"',
         f"{BREAST}: outcomes[3].denominator: must be a whole number, not str"),
        (BREAST, "published = 2004-09-22", 'published = "22 September 2004"',
         f"{BREAST}: source.published: must be a date"),
        (LIVER, 'short_title =', 'shrot_title =', f"{LIVER}: shrot_title: is not a known field"),
        (LIVER, 'id = "follow-up"', 'id = "special-arrangements"',
         f"{LIVER}: consent_points: ids must be unique; repeated: special-arrangements"),
        (LIVER, 'slug = "liver-laser-ablation"', 'slug = "liver"',
         f"{LIVER}: slug: is 'liver', but must match the file name"),
        (LIVER, 'id = "what-is-known"', 'id = "risks"',
         f"{LIVER}: questions: ids ['risks'] are already standard questions"),
        (LIVER, 'url = "https://www.nice.org.uk"', 'url = "www.nice.org.uk"',
         f"{LIVER}: source.url: 'www.nice.org.uk' must start with https://"),
        (LIVER, "[source]", "[source", f"{LIVER}: not valid TOML"),
    ],
    ids=["missing-field", "wrong-category", "numerator-over-denominator", "percent-disagrees",
         "wrong-type", "date-as-text", "unknown-field", "repeated-id", "slug-not-file-name",
         "question-id-clash", "url-not-https", "bad-toml"],
)
def test_invalid_content_names_file_field_and_problem(content_dir, name, old, new, expected):
    edit(content_dir, name, old, new)
    assert expected in problems(content_dir)


def test_every_problem_is_reported_at_once(content_dir):
    edit(content_dir, BREAST, 'category = "research only"', 'category = "maybe"')
    edit(content_dir, LIVER, 'not_having = """', 'not_having_it = """')
    message = problems(content_dir)
    assert f"{BREAST}: category" in message
    assert f"{LIVER}: not_having: is missing" in message
    assert f"{LIVER}: not_having_it: is not a known field" in message


def test_content_version_is_a_hash_that_follows_the_file(content_dir):
    standard = files.STANDARD_QUESTIONS_FILE.read_text()

    def version() -> str:
        return version_from_text((content_dir / LIVER).read_text(), standard, LIVER).version

    before = version()
    assert before == version()
    edit(content_dir, LIVER, "You can say no.", "You can say no at any time.")
    assert len(before) == 12 and version() != before


def test_a_change_to_the_standard_questions_is_a_new_version_of_every_procedure(content_dir):
    text = (content_dir / LIVER).read_text()
    standard = files.STANDARD_QUESTIONS_FILE.read_text()
    reworded = standard.replace("Will I have to stay in hospital?", "Will I stay in hospital overnight?")
    assert reworded != standard
    assert version_from_text(text, standard, LIVER).version != version_from_text(text, reworded, LIVER).version
