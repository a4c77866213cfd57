"""Each version's questionnaire as FHIR R4, and a response that follows it item by item."""

import random

import pytest

# fhir.resources 8 offers FHIR R5 at the top level and R4B (R4's successor, same shape for these) beneath.
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from questionnaire_helpers import BREAST, LIVER, shipped

from app.questionnaire import fhir
from app.questionnaire.examples import example_answers

BASE = "https://service.example"


def link_ids(items: list[dict]) -> dict[str, dict]:
    found = {}
    for item in items:
        found[item["linkId"]] = item
        found |= link_ids(item.get("item", []))
    return found


@pytest.mark.parametrize("slug", [BREAST, LIVER])
def test_each_version_is_a_valid_questionnaire_with_every_item(slug):
    version = shipped(slug)
    resource = fhir.questionnaire_resource(version.questionnaire, slug, version.procedure.title, version.version, BASE)
    Questionnaire.model_validate(resource)
    assert resource["version"] == version.version and resource["url"] == f"{BASE}/fhir/Questionnaire/{slug}"
    ids = link_ids(resource["item"])
    assert {i.id for i in version.questionnaire.items} <= set(ids)


@pytest.mark.parametrize("slug", [BREAST, LIVER])
def test_a_response_names_its_version_and_answers_only_its_items_in_their_types(slug):
    version = shipped(slug)
    answers = example_answers(version.questionnaire, random.Random(7), {"interpreter": "yes", "language": "Urdu",
                                                                         "name": "Ann"})
    questionnaire = link_ids(fhir.questionnaire_resource(version.questionnaire, slug, "t", version.version,
                                                         BASE)["item"])
    response = fhir.response_resource(version.questionnaire, answers, reference="PFP-ACDEFG", slug=slug,
                                      version=version.version, authored=None, base_url=BASE)
    QuestionnaireResponse.model_validate(response)
    assert response["questionnaire"] == f"{BASE}/fhir/Questionnaire/{slug}|{version.version}"
    types = {"valueString": ("string", "text"), "valueBoolean": ("boolean",), "valueCoding": ("choice",),
             "valueInteger": ("integer",), "valueDate": ("date",)}
    for link_id, item in link_ids(response["item"]).items():
        asked = questionnaire[link_id]
        for answer in item.get("answer", []):
            (kind,) = answer
            assert asked["type"] in types[kind], (link_id, kind)
            if kind == "valueCoding":
                assert answer[kind] in [o["valueCoding"] for o in asked["answerOption"]]


def test_a_language_is_asked_only_after_yes_to_an_interpreter():
    version = shipped(LIVER)
    items = link_ids(fhir.questionnaire_resource(version.questionnaire, LIVER, "t", version.version, BASE)["item"])
    (condition,) = items["language"]["enableWhen"]
    assert condition["question"] == "interpreter" and condition["answerCoding"]["code"] == "yes"
