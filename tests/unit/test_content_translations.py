"""Translations of content: tied to the English they translate, so a stale one cannot be missed."""

from __future__ import annotations

import dataclasses

import pytest
from questionnaire_helpers import BREAST, LIVER, shipped

from app.content.files import PROCEDURES_DIR, STANDARD_QUESTIONS_FILE, read_folder, read_procedure, translation_problems
from app.content.translations import (
    InEnglish,
    english_hash,
    is_translation,
    problems,
    procedure_fields,
    question_fields,
    read_translation,
    translate,
    translation_path,
    translations_of,
)


def welsh_of(path):
    errors = []
    translation = read_translation(translation_path(path, "cy").read_text(encoding="utf-8"),
                                   translation_path(path, "cy").name, errors)
    assert not errors, errors
    return translation


def liver():
    procedure = shipped(LIVER).procedure
    return procedure, welsh_of(PROCEDURES_DIR / f"{LIVER}.toml"), welsh_of(STANDARD_QUESTIONS_FILE)


@pytest.mark.parametrize("slug", [BREAST, LIVER])
def test_every_shipped_procedure_is_wholly_translated_into_welsh_from_its_current_english(slug):
    procedure = shipped(slug).procedure
    path = PROCEDURES_DIR / f"{slug}.toml"
    found = problems(translation_path(path, "cy").name, procedure_fields(procedure), welsh_of(path))
    assert not found, "\n".join(found)


def test_the_standard_questions_are_wholly_translated_into_welsh_from_their_current_english():
    questions = shipped(LIVER).procedure.standard_questions
    found = problems("standard-questions.cy.toml", question_fields(questions), welsh_of(STANDARD_QUESTIONS_FILE))
    assert not found, "\n".join(found)


def test_a_translated_procedure_reads_in_welsh_with_its_ids_and_numbers_unchanged():
    procedure, welsh, standard = liver()
    translated = translate(procedure, welsh, standard, "cy")
    assert translated.in_english == ()
    assert translated.procedure.title == "Abladiad laser ar gyfer tiwmorau'r afu"
    assert translated.procedure.standard_questions[0].text == "Faint o apwyntiadau fydd eu hangen arnaf?"
    assert [q.id for q in translated.procedure.all_questions] == [q.id for q in procedure.all_questions]
    assert translated.procedure.support_contacts[0].phone == "0800 652 7330"
    assert translated.procedure.source == procedure.source


def test_changing_one_english_sentence_makes_that_field_alone_stale_and_shown_in_english():
    procedure, welsh, standard = liver()
    changed = dataclasses.replace(procedure, summary=procedure.summary + " It takes about an hour.")
    found = problems("liver-laser-ablation.cy.toml", procedure_fields(changed), welsh)
    assert found == [f"liver-laser-ablation.cy.toml: summary: stale: the English has changed since it was "
                     f"translated. Translate it again and record the new hash {english_hash(changed.summary)}"]
    translated = translate(changed, welsh, standard, "cy")
    assert translated.in_english == ("summary",)
    assert translated.procedure.summary == changed.summary and isinstance(translated.procedure.summary, InEnglish)
    assert not isinstance(translated.procedure.title, InEnglish)


def test_a_new_english_field_is_missing_from_the_translation_until_translated():
    procedure, welsh, standard = liver()
    added = dataclasses.replace(procedure, what_matters=(
        *procedure.what_matters, dataclasses.replace(procedure.what_matters[0], id="new", text="Being home soon")))
    found = problems("liver-laser-ablation.cy.toml", procedure_fields(added), welsh)
    assert found == [f"liver-laser-ablation.cy.toml: what_matters.new: missing: not translated yet "
                     f"(English hash {english_hash('Being home soon')})"]
    shown = translate(added, welsh, standard, "cy").procedure.what_matters[-1].text
    assert shown == "Being home soon" and isinstance(shown, InEnglish)


def test_a_stale_standard_question_is_shown_in_english_on_every_procedure():
    procedure, welsh, standard = liver()
    first = procedure.standard_questions[0]
    changed = dataclasses.replace(procedure, standard_questions=(
        dataclasses.replace(first, text="How many visits will I need?"), *procedure.standard_questions[1:]))
    translated = translate(changed, welsh, standard, "cy")
    assert translated.in_english == ("questions.appointments",)
    assert translated.procedure.all_questions[0].text == "How many visits will I need?"


def test_a_translation_whose_numbers_differ_from_the_english_is_refused_and_the_english_shown():
    procedure, welsh, standard = liver()
    wrong = dataclasses.replace(welsh, fields={**welsh.fields, "support_contacts[0].description": dataclasses.replace(
        welsh.fields["support_contacts[0].description"], text="Ffoniwch 3 gwaith.")})
    found = problems("liver-laser-ablation.cy.toml", procedure_fields(procedure), wrong)
    assert found == ["liver-laser-ablation.cy.toml: support_contacts[0].description: its numbers are not the "
                     "English's; copy each number exactly"]
    assert translate(procedure, wrong, standard, "cy").in_english == ("support_contacts[0].description",)


def test_a_translated_field_the_english_does_not_have_is_named():
    procedure, welsh, _ = liver()
    extra = dataclasses.replace(welsh, fields={**welsh.fields, "sumary": welsh.fields["summary"]})
    assert problems("x.cy.toml", procedure_fields(procedure), extra) == [
        "x.cy.toml: sumary: no such English field to translate"]


def test_the_english_hash_ignores_how_the_file_breaks_its_lines():
    assert english_hash("A doctor puts\n  thin fibres in.") == english_hash("A doctor puts thin fibres in.")
    assert english_hash("A doctor puts thin fibres in.") != english_hash("A doctor puts fibres in.")


def test_the_shipped_welsh_is_a_draft_no_translator_has_checked_yet():
    _, welsh, standard = liver()
    assert not welsh.checked and not standard.checked
    assert not translate(shipped(LIVER).procedure, welsh, standard, "cy").checked


@pytest.mark.parametrize("lines, error", [
    ('language = "cy"\nchecked_by = "A Translator"\n[[fields]]\nfield = "title"\nenglish = "x"\ntext = "y"\n',
     "x.cy.toml: checked_by: say both who checked the translation (checked_by) and when (checked_on), or neither"),
    ('language = "fr"\n[[fields]]\nfield = "title"\nenglish = "x"\ntext = "y"\n',
     "x.cy.toml: language: 'fr' is not one of 'cy'"),
    ('language = "cy"\n[[fields]]\nfield = "title"\nenglish = "x"\ntext = ""\n',
     "x.cy.toml: fields[0].text: is empty"),
])
def test_a_translation_file_that_breaks_a_rule_is_named(lines, error):
    errors = []
    assert read_translation(lines, "x.cy.toml", errors) is None
    assert errors == [error]


def test_a_checked_translation_records_who_and_when():
    errors = []
    checked = read_translation('language = "cy"\nchecked_by = "A Translator"\nchecked_on = 2027-01-31\n'
                               '[[fields]]\nfield = "title"\nenglish = "x"\ntext = "y"\n', "x.cy.toml", errors)
    assert not errors and checked.checked and str(checked.checked_on) == "2027-01-31"


def test_translation_files_are_not_read_as_procedures():
    assert is_translation(PROCEDURES_DIR / f"{LIVER}.cy.toml") and not is_translation(PROCEDURES_DIR / f"{LIVER}.toml")
    found, errors = read_folder()
    assert not errors
    assert sorted(f.procedure.slug for f in found) == [BREAST, LIVER]
    assert all(set(f.translations) == {"cy"} for f in found)


def test_the_content_check_names_the_stale_welsh_field_when_one_english_sentence_changes():
    found, _ = read_folder()
    content = next(f for f in found if f.procedure.slug == LIVER)
    assert translation_problems(content) == []
    edited = content.text.replace("Having fewer hospital appointments afterwards",
                                  "Having fewer hospital visits afterwards")
    procedure = read_procedure(edited, content.standard_text, content.procedure.file_name)
    changed = dataclasses.replace(content, procedure=procedure, text=edited)
    assert [p.split(": stale:")[0] for p in translation_problems(changed)] == [
        "liver-laser-ablation.cy.toml: what_matters.fewer-appointments"]


def test_a_stored_versions_texts_give_its_welsh():
    found, _ = read_folder()
    content = next(f for f in found if f.procedure.slug == BREAST)
    welsh = translations_of(content.procedure, content.translations)["cy"]
    assert welsh.in_english == () and welsh.procedure.short_title == "Therapi laser ar gyfer canser y fron"
    assert translations_of(content.procedure, {"cy": ("", "")})["cy"].procedure.title == content.procedure.title
