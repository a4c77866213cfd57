"""Drafting a procedure file from NICE text: the facts are the source's, every plain-English field a TODO."""

import re
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from app.cli import draft_content
from app.content import checks
from app.content.drafting import draft, slugify, todos
from app.content.files import PROCEDURES_DIR, STANDARD_QUESTIONS_FILE
from app.content.guidance import GuidanceError
from app.questionnaire.definition import QUESTIONNAIRE
from publishing import TODAY
from support import SOURCES

HERE = Path(__file__).parent / "guidance"
BREAST_SOURCE = "nice-htg55-interstitial-laser-therapy-breast-cancer.txt"
LIVER_SOURCE = "nice-liver-laser-ablation-information-for-the-public.txt"
BREAST_DRAFT = draft((SOURCES / BREAST_SOURCE).read_text(), document=BREAST_SOURCE)
LIVER_DRAFT = draft(None, (SOURCES / LIVER_SOURCE).read_text(), public_document=LIVER_SOURCE)
# Where a hand-written file words a fact its own way: (its words, the source's words, which the draft keeps).
HAND_WORDING = {
    ("liver-laser-ablation.toml", "source.kind"): ("information for the public", "Information for the public"),
    ("liver-laser-ablation.toml", "support_contacts[1].name"): ("Your local Healthwatch", "Healthwatch"),
}
# Every field a patient reads in our words; the draft must leave each to an editor.
PLAIN_ENGLISH = ("title", "short_title", "summary", "what_happens[0]", "evidence_status",
                 "uncertainties[0]", "not_having", "review_by", "alternatives[0].name", "alternatives[0].description",
                 "consent_points[0].text", "what_matters[0].text")
OUTCOME_PROSE = ("label", "study", "caveat")


def hand_written(name: str) -> dict:
    return tomllib.loads((PROCEDURES_DIR / name).read_text())


def synthetic(name: str) -> str:
    return (HERE / name).read_text()


def figures(table: dict) -> list[tuple]:
    return [(o["kind"], o["numerator"], o["denominator"], o.get("percent"), o["cite"])
            for o in table.get("outcomes", [])]


def assert_same(file_name: str, field: str, drafted, written):
    if (file_name, field) in HAND_WORDING:
        assert (written, drafted) == HAND_WORDING[file_name, field], f"{field}: agrees now; drop it from HAND_WORDING"
    else:
        assert drafted == written, field


def copied_questions(table: dict) -> list[str]:
    return [q["text"] for q in table["questions"] if "TODO" not in q["text"]]


@pytest.mark.parametrize("drafted, file_name", [(BREAST_DRAFT, "breast-interstitial-laser-therapy.toml"),
                                                (LIVER_DRAFT, "liver-laser-ablation.toml")], ids=["breast", "liver"])
def test_a_draft_has_the_hand_written_files_facts(drafted, file_name):
    drafted, written = tomllib.loads(drafted), hand_written(file_name)
    for field, value in written["source"].items():
        assert_same(file_name, f"source.{field}", drafted["source"][field], value)
    assert_same(file_name, "category", drafted["category"], written["category"])
    assert figures(drafted) == figures(written)
    contacts = written.get("support_contacts", [])
    assert len(drafted.get("support_contacts", [])) == len(contacts)
    for i, (mine, theirs) in enumerate(zip(drafted.get("support_contacts", []), contacts)):
        for field in ("name", "description", "phone"):
            assert_same(file_name, f"support_contacts[{i}].{field}", mine[field], theirs[field])


def test_the_public_texts_questions_are_the_standard_questions():
    standard = tomllib.loads(STANDARD_QUESTIONS_FILE.read_text())["questions"]
    assert copied_questions(tomllib.loads(LIVER_DRAFT)) == [q["text"] for q in standard]


def test_guidance_alone_gives_no_public_questions_or_contacts():
    drafted = tomllib.loads(BREAST_DRAFT)
    assert copied_questions(drafted) == []
    assert "support_contacts" not in drafted


@pytest.mark.parametrize("drafted", [BREAST_DRAFT, LIVER_DRAFT], ids=["breast", "liver"])
def test_every_plain_english_field_is_left_to_an_editor(drafted):
    table, unfilled = tomllib.loads(drafted), todos(drafted)
    outcomes = range(len(table.get("outcomes", [])))
    prose = [*PLAIN_ENGLISH, *(f"outcomes[{i}].{f}" for i in outcomes for f in OUTCOME_PROSE)]
    prose += [f"questions[{i}].text" for i, q in enumerate(table["questions"])
              if q["text"] not in copied_questions(table)]
    assert set(prose) <= set(unfilled)
    for field in prose:
        assert value_at(table, field).startswith("TODO: "), field


def test_a_todo_says_which_paragraph_to_read():
    drafted = tomllib.loads(BREAST_DRAFT)
    assert drafted["summary"].endswith("Read HTG55, section 2.2.1.")
    assert drafted["outcomes"][0]["label"].endswith("Read HTG55, section 2.3.1.")
    assert "sections 2.3.1, 2.3.2, 2.4.1 and 2.4.2" in drafted["evidence_status"]


def test_facts_are_never_todos():
    for drafted in (BREAST_DRAFT, LIVER_DRAFT):
        facts = [f for f in todos(drafted) if f in ("slug", "category") or f.startswith(("source.", "support_contacts"))
                 or re.search(r"^outcomes\[\d+\]\.(numerator|denominator|percent|cite|kind)$", f)]
        assert facts == []


def test_safety_figures_are_harms_and_efficacy_figures_wait_for_an_editor():
    """A failure of the treatment must never be shown as a benefit, so no efficacy figure is guessed."""
    outcomes = tomllib.loads(BREAST_DRAFT)["outcomes"]
    assert {o["effect"] for o in outcomes if o["kind"] == "safety"} == {"harm"}
    efficacy = [o["effect"] for o in outcomes if o["kind"] == "efficacy"]
    assert len(efficacy) == 2 and all(e.startswith("TODO: 'benefit'") and "failure" in e for e in efficacy)


def test_each_outcome_has_its_source_sentence_above_it():
    lines = BREAST_DRAFT.splitlines()
    second = [i for i, line in enumerate(lines) if line == "[[outcomes]]"][1]
    assert comment_above(lines, second) == ('2.3.1 (Efficacy): "This study also found no histological sign of laser '
                                            'damage in the tumours of 9% (4 out of 44) of patients."')


def test_the_slug_comes_from_the_title():
    assert tomllib.loads(BREAST_DRAFT)["slug"] == "interstitial-laser-therapy-for-breast-cancer"
    assert slugify("NICE's image-guided laser: ablation") == "nices-image-guided-laser-ablation"


@pytest.mark.parametrize("name, category", [
    ("ipg-standard.txt", "standard"),
    ("ipg-special.txt", "special arrangements"),
    ("htg-research.txt", "research only"),
    ("ipg-do-not-use.txt", "do not use"),
])
def test_the_category_is_read_from_nices_recommendation_wording(name, category):
    assert tomllib.loads(draft(synthetic(name)))["category"] == category


def test_the_wording_that_named_the_category_is_quoted_above_it():
    lines = draft(synthetic("htg-research.txt")).splitlines()
    category = next(i for i, line in enumerate(lines) if line.startswith("category = "))
    said = '"Therefore, this procedure should only be used in the context of research."'
    assert comment_above(lines, category) == f"NICE's wording for research only, in the recommendations: {said}"


def recommending(words: str) -> str:
    return synthetic("ipg-do-not-use.txt").replace("Therefore this procedure should not be used.", words)


def test_recommendations_in_no_known_wording_leave_the_category_to_an_editor():
    category = tomllib.loads(draft(recommending("Clinicians should think carefully.")))["category"]
    assert category.startswith("TODO: one of 'standard', 'special arrangements', 'research only', 'do not use'")
    assert "none of NICE's wording" in category


def test_recommendations_in_two_wordings_leave_the_category_to_an_editor():
    words = ("It should not be used in children. In adults it can be used with standard arrangements for clinical "
             "governance, consent and audit.")
    category = tomllib.loads(draft(recommending(words)))["category"]
    assert category.startswith("TODO: ") and "standard and for do not use" in category


PUBLIC = synthetic("public-research.txt")
PUBLIC_SAYS = "So it should only be done as part of a research study."


@pytest.mark.parametrize("words, category", [
    ("So it can only be done with special arrangements.", "special arrangements"),
    (PUBLIC_SAYS, "research only"),
    ("So it should not be done.", "do not use"),
    ("So it can be done with standard arrangements.", "standard"),
])
def test_public_texts_wording_gives_the_category_when_there_is_no_guidance(words, category):
    assert tomllib.loads(draft(None, PUBLIC.replace(PUBLIC_SAYS, words)))["category"] == category


def test_public_text_in_no_known_wording_leaves_the_category_to_an_editor():
    category = tomllib.loads(draft(None, PUBLIC.replace(PUBLIC_SAYS, "Ask your doctor.")))["category"]
    assert category.startswith("TODO: ") and category.endswith("Read the information for the public.")


def test_every_figure_in_efficacy_and_safety_and_nothing_else_becomes_an_outcome():
    drafted = tomllib.loads(draft(synthetic("ipg-standard.txt")))
    # Not 3 of 10 adults (indications), 11 studies (364 patients), 140/90 mmHg, 12 patients or the dates.
    assert figures(drafted) == [
        ("efficacy", 43, 44, None, "IPG900, section 3.1"),
        ("efficacy", 9, 12, 75, "IPG900, section 3.1"),
        ("efficacy", 3, 90, None, "IPG900, section 3.2"),
        ("efficacy", 4, 35, 11, "IPG900, section 3.2"),
        ("safety", 1, 40, 2.5, "IPG900, section 4.1"),
    ]


def test_a_figure_in_a_list_under_its_paragraph_is_cited_to_that_paragraph():
    drafted = tomllib.loads(draft(synthetic("ipg-special.txt")))
    assert figures(drafted) == [
        ("efficacy", 20, 25, 80, "IPG131, section 2.3.1"),
        ("safety", 2, 40, 5, "IPG131, section 2.4.1"),
        ("safety", 1, 40, None, "IPG131, section 2.4.1"),
    ]


def test_guidance_and_public_text_together():
    drafted = tomllib.loads(draft(synthetic("htg-research.txt"), PUBLIC, document="g.txt", public_document="p.txt"))
    assert drafted["source"]["guidance_id"] == "HTG120" and drafted["source"]["document"] == "g.txt"
    assert drafted["category"] == "research only"
    assert figures(drafted) == [("efficacy", 1, 5, 20, "HTG120, section 2.2.1"),
                                ("safety", 2, 14, 14, "HTG120, section 2.3.1")]
    assert [c["name"] for c in drafted["support_contacts"]] == ["Example Pain Charity", "Samaritans",
                                                                 "Example Nerve Trust"]
    assert [q["id"] for q in drafted["questions"][:3]] == [
        "what-does-the-procedure-involve", "what-does-the-procedure-involve-2",
        "what-happens-if-i-do-not-want-the-procedure"]


def test_todos_lists_nothing_in_a_finished_file():
    for path in PROCEDURES_DIR.glob("*.toml"):
        assert todos(path.read_text()) == [], path.name


def test_a_filled_draft_passes_the_content_check(tmp_path):
    """Once an editor has written every TODO, nothing else stands between the draft and publishing."""
    filled = fill(BREAST_DRAFT)
    assert todos(filled) == []
    slug = tomllib.loads(filled)["slug"]
    (tmp_path / f"{slug}.toml").write_text(filled)
    report = checks.check(QUESTIONNAIRE, TODAY, folder=tmp_path, sources=SOURCES)
    assert report.problems == [] and [c.procedure.slug for c in report.passed] == [slug]


def test_harms_out_of_different_numbers_of_people_leave_the_page_to_say_so():
    assert tomllib.loads(BREAST_DRAFT)["different_groups"]["harm"].startswith(
        "TODO: the harms below are out of different numbers of people")
    # 20 of 25 and 2 of 40 with 1 of 40: each heading's figures share a denominator.
    assert "different_groups" not in tomllib.loads(draft(synthetic("ipg-special.txt")))


def test_efficacy_figures_out_of_different_numbers_leave_both_headings_to_an_editor():
    groups = tomllib.loads(draft(synthetic("ipg-standard.txt")))["different_groups"]
    assert set(groups) == {"benefit", "failure"} and all('write ""' in text for text in groups.values())


def test_a_text_that_is_not_nice_guidance_is_refused_naming_it():
    with pytest.raises(GuidanceError, match="^notes.txt: the line under the title"):
        draft("My notes\nBuy milk\n", document="notes.txt")
    with pytest.raises(GuidanceError, match="give the guidance, the information for the public, or both"):
        draft(None)


def test_a_section_about_both_efficacy_and_safety_leaves_the_kind_to_an_editor():
    text = synthetic("ipg-do-not-use.txt").replace("3 Efficacy", "3 Efficacy and safety")
    outcome = tomllib.loads(draft(text))["outcomes"][0]
    assert (outcome["numerator"], outcome["denominator"]) == (0, 14)
    assert outcome["kind"].startswith("TODO: 'efficacy' or 'safety'") and outcome["effect"].startswith("TODO: ")


def test_quotes_and_backslashes_in_the_source_survive_as_toml():
    title = 'Removal of the "example" duct \\ by suction'
    drafted = tomllib.loads(draft(synthetic("ipg-do-not-use.txt").replace("Example duct removal by suction", title)))
    assert drafted["source"]["title"] == title


def fill(text: str) -> str:
    """The draft as an editor might finish it: each TODO replaced by a value of the right shape."""
    counter = iter(range(1000))

    def value(match: re.Match) -> str:
        key = match[1]
        if key == "review_by":
            return f"review_by = {TODAY.replace(year=TODAY.year + 1).isoformat()}"
        if key == "effect":
            return 'effect = "benefit"'
        if key == "id":
            return f'id = "item-{next(counter)}"'
        return f'{key} = "Plain words."'

    text = re.sub(r'^(\w+) = "TODO: .*"$', value, text, flags=re.MULTILINE)
    return re.sub(r'\["TODO: .*"\]$', '["Plain words."]', text, flags=re.MULTILINE)


def comment_above(lines: list[str], index: int) -> str:
    """The comment lines just above a line, as one line of text."""
    start = index
    while start and lines[start - 1].startswith("# "):
        start -= 1
    return " ".join(line[2:] for line in lines[start:index])


def value_at(table: dict, field: str):
    for part in re.findall(r"\w+|\[\d+\]", field):
        table = table[int(part[1:-1])] if part.startswith("[") else table[part]
    return table


# The command: `flask content draft`, run here without an app, as it needs none.
def run(*args: str):
    return CliRunner().invoke(draft_content, [str(a) for a in args])


def test_the_command_prints_the_draft():
    result = run(SOURCES / BREAST_SOURCE)
    assert result.exit_code == 0
    assert result.stdout == BREAST_DRAFT


def test_the_command_takes_public_information_alone_or_beside_guidance():
    assert run(SOURCES / LIVER_SOURCE).stdout == LIVER_DRAFT
    both = run(HERE / "htg-research.txt", "--public", HERE / "public-research.txt")
    assert both.exit_code == 0
    drafted = tomllib.loads(both.stdout)
    assert drafted["source"]["document"] == "htg-research.txt" and len(drafted["support_contacts"]) == 3


def test_the_command_writes_a_file_and_will_not_overwrite_one_without_force(tmp_path):
    output = tmp_path / "draft.toml"
    written = run(SOURCES / BREAST_SOURCE, "--output", output)
    assert written.exit_code == 0 and output.read_text() == BREAST_DRAFT
    assert "40 fields marked TODO" in written.stderr
    output.write_text("an editor's work")
    refused = run(SOURCES / BREAST_SOURCE, "--output", output)
    assert refused.exit_code == 1
    assert refused.stderr == f"Error: {output} already exists. Add --force to replace it.\n"
    assert output.read_text() == "an editor's work"
    assert run(SOURCES / BREAST_SOURCE, "--output", output, "--force").exit_code == 0
    assert output.read_text() == BREAST_DRAFT


@pytest.mark.parametrize("content, message", [
    (b"My notes\nBuy milk\n", "Error: Cannot draft from notes.txt: the line under the title should say"),
    (b"\xff\xfe\x00binary", "Error: Cannot read {path}: it is not UTF-8 text"),
    (None, "Error: Cannot read {path}: No such file or directory"),
])
def test_the_command_gives_a_plain_error_for_a_text_it_cannot_use(tmp_path, content, message):
    path = tmp_path / "notes.txt"
    if content is not None:
        path.write_bytes(content)
    result = run(path)
    assert result.exit_code == 1
    assert result.stderr.startswith(message.format(path=path))
    assert "Traceback" not in result.output and result.stdout == ""


def test_the_command_refuses_two_public_texts():
    result = run(SOURCES / LIVER_SOURCE, "--public", HERE / "public-research.txt")
    assert result.exit_code == 1
    assert "is information for the public; give the guidance first" in result.stderr

