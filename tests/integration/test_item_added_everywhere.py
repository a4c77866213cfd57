"""The questionnaire is defined once: one item added to a test-only definition is asked and shown everywhere.

No other code changes for it: the page, check answers, the summary page, the
PDF, the CSV and both FHIR resources all come from the definition.
"""

from __future__ import annotations

import dataclasses
import subprocess

import pytest

from app.questionnaire.choices import YES_NO
from app.questionnaire.definition import QUESTIONNAIRE
from app.questionnaire.items import Single
from clinician_helpers import sign_in
from export_helpers import answers_of, by_link_id, read_csv
from journey_helpers import complete_all_sections, live, send_and_download, start, submit
from support import check_page, text_of

LIVER = "liver-laser-ablation"
DRIVING = Single("driving_home", "Will you drive yourself home afterwards? (optional)", "Driving yourself home",
                 choices=YES_NO)


def with_driving_question():
    """The shipped definition with one more yes/no question at the end of About you."""
    about_you, *rest = QUESTIONNAIRE.sections
    page = about_you.pages[0]
    page = dataclasses.replace(page, parts=(*page.parts, DRIVING))
    about_you = dataclasses.replace(about_you, pages=(page,))
    return dataclasses.replace(QUESTIONNAIRE, sections=(about_you, *rest))


@pytest.fixture
def app(make_app):
    app = make_app(QUESTIONNAIRE=with_driving_question())
    result = app.test_cli_runner().invoke(args=["content", "publish"])  # the new question makes new versions
    assert result.exit_code == 0 and "published version" in result.output, result.output
    return app


@pytest.mark.fresh_app
def test_one_yes_no_item_in_the_definition_is_asked_and_shown_everywhere(app, make_clinician):
    patient = app.test_client()
    start(patient, LIVER)
    page = check_page(patient.get("/about-you"))
    legend = page.select_one("fieldset:has(input[name=driving_home]) legend")
    assert text_of(legend) == "Will you drive yourself home afterwards? (optional)"
    complete_all_sections(patient, LIVER, app)  # its example answer is drawn like any other item's
    submit(patient, "/about-you", {"name": "Ann Example", "driving_home": "no"}, status=302)

    check = text_of(check_page(patient.get("/check-answers")))
    assert "Driving yourself home No Change Driving yourself home" in check
    pdf = send_and_download(patient)
    assert "Driving yourself home No" in text_of(check_page(patient.get("/summary")).select_one("main"))
    printed = " ".join(subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True,
                                      check=True).stdout.decode().split())
    assert "Driving yourself home No" in printed

    staff = app.test_client()
    assert sign_in(staff, *make_clinician()).status_code == 302
    [row] = read_csv(staff.get("/clinician/export.csv").get_data(as_text=True).lstrip("\ufeff"))
    assert row["Driving yourself home"] == "No"
    questionnaire = staff.get(f"/clinician/fhir/Questionnaire/{LIVER}").get_json()
    asked = by_link_id(questionnaire["item"])["driving_home"]
    assert asked["type"] == "choice" and asked["text"] == "Driving yourself home"
    assert [o["valueCoding"]["code"] for o in asked["answerOption"]] == ["yes", "no"]
    reference = row["Reference"]
    response = staff.get(f"/clinician/submissions/{reference}/fhir").get_json()
    assert answers_of(response)["driving_home"][0]["valueCoding"]["code"] == "no"
    assert response["questionnaire"].endswith(f"|{live(app, LIVER).version}")
