"""A submission answered in Welsh, as the care team sees it: in English, saying it was answered in Welsh."""

import csv
import io
import json

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import AnswerSet
from journey_helpers import complete_all_sections, start, submit
from support import check_page, text_of

BREAST = "breast-interstitial-laser-therapy"


@pytest.fixture
def sent_in_welsh(app):
    patient = app.test_client()
    patient.get("/language/cy")
    start(patient, BREAST)
    complete_all_sections(patient, BREAST, app)
    submit(patient, "/check-answers", status=302)
    with app.app_context():
        return db.session.scalars(sa.select(AnswerSet.reference)).one()


def test_the_staff_view_of_a_welsh_submission_is_in_english_and_says_it_was_answered_in_welsh(
        client, signed_in, sent_in_welsh):
    page = check_page(client.get(f"/clinician/submissions/{sent_in_welsh}"))
    assert page.html["lang"] == "en-GB"
    words = text_of(page)
    assert "Answered in Welsh" in words
    assert "Interstitial laser therapy for breast cancer" in words and "At a glance" in words
    assert "Ann Example" in words  # the patient's own words, as they wrote them
    assert "Cymraeg" not in words  # no language switch on staff pages


def test_the_csv_and_fhir_say_which_language_the_patient_answered_in(client, signed_in, sent_in_welsh):
    exported = client.get("/clinician/export.csv").get_data(as_text=True).lstrip("\ufeff")
    rows = list(csv.DictReader(io.StringIO(exported)))
    assert [row["Answered in"] for row in rows] == ["cy"]
    response = json.loads(client.get(f"/clinician/submissions/{sent_in_welsh}/fhir").data)
    assert response["language"] == "cy"
    assert response["item"][0]["text"] == "About you"  # the texts a clinic reads are English


def test_each_version_can_be_downloaded_as_a_questionnaire_in_welsh(client, signed_in):
    english = json.loads(client.get(f"/clinician/fhir/Questionnaire/{BREAST}").data)
    welsh = json.loads(client.get(f"/clinician/fhir/Questionnaire/{BREAST}?language=cy").data)
    assert (english["language"], welsh["language"]) == ("en", "cy")
    assert welsh["title"] == "Therapi laser interstitaidd ar gyfer canser y fron"
    assert [group["text"] for group in welsh["item"]][:2] == ["Amdanoch chi", "Am y driniaeth"]
    assert [i["linkId"] for g in welsh["item"] for i in g["item"]] == [
        i["linkId"] for g in english["item"] for i in g["item"]]
    assert client.get(f"/clinician/fhir/Questionnaire/{BREAST}?language=fr").status_code == 404
