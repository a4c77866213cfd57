"""Content files are read and checked without the app: every rule names the file, the field and the problem."""

import pytest

from app.content import ContentError, load_catalogue
from support import edit

BREAST = "breast-interstitial-laser-therapy.toml"
LIVER = "liver-laser-ablation.toml"


def test_shipped_content_loads_both_procedures():
    catalogue = load_catalogue()
    assert [p.slug for p in catalogue] == ["breast-interstitial-laser-therapy", "liver-laser-ablation"]
    breast = catalogue.get("breast-interstitial-laser-therapy")
    assert breast.category == "research only"
    assert catalogue.get("liver-laser-ablation").category == "special arrangements"
    # Shared standard questions come first, then the procedure's own.
    ids = [q.id for q in catalogue.questions_for(breast)]
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
    with pytest.raises(ContentError) as error:
        load_catalogue(content_dir)
    assert expected in str(error.value)


def test_every_problem_is_reported_at_once(content_dir):
    edit(content_dir, BREAST, 'category = "research only"', 'category = "maybe"')
    edit(content_dir, LIVER, 'not_having = """', 'not_having_it = """')
    with pytest.raises(ContentError) as error:
        load_catalogue(content_dir)
    message = str(error.value)
    assert f"{BREAST}: category" in message
    assert f"{LIVER}: not_having: is missing" in message
    assert f"{LIVER}: not_having_it: is not a known field" in message


def test_content_version_is_a_hash_that_follows_the_file(content_dir):
    before = load_catalogue(content_dir).get("liver-laser-ablation").version
    assert before == load_catalogue(content_dir).get("liver-laser-ablation").version
    edit(content_dir, LIVER, "You can say no.", "You can say no at any time.")
    after = load_catalogue(content_dir).get("liver-laser-ablation").version
    assert len(before) == 12 and after != before
