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
    answers = example_answers(version.questionnaire, random.Random(7), {"interpreter": "spoken", "language": "Urdu",
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


def test_a_language_is_asked_only_after_a_spoken_language_interpreter():
    version = shipped(LIVER)
    items = link_ids(fhir.questionnaire_resource(version.questionnaire, LIVER, "t", version.version, BASE)["item"])
    (condition,) = items["language"]["enableWhen"]
    assert condition["question"] == "interpreter" and condition["answerCoding"]["code"] == "spoken"


def test_the_companion_page_is_asked_only_when_someone_is_coming():
    version = shipped(LIVER)
    items = link_ids(fhir.questionnaire_resource(version.questionnaire, LIVER, "t", version.version, BASE)["item"])
    for link_id in ("companion_questions", "companion_worries"):
        (condition,) = items[link_id]["enableWhen"]
        assert condition["question"] == "companion" and condition["answerCoding"]["code"] == "yes"


def test_the_companion_answers_are_marked_as_theirs_in_a_response():
    version = shipped(LIVER)
    answers = {"companion": "yes", "companion_questions": [{"id": "own-1", "text": "Can I stay overnight?"}],
               "companion_worries": "The drive home", "own": [{"id": "own-2", "text": "Will it hurt?"}]}
    response = fhir.response_resource(version.questionnaire, answers, reference="PFP-ACDEFG", slug=LIVER,
                                      version=version.version, authored=None, base_url=BASE)
    QuestionnaireResponse.model_validate(response)
    groups = {group["linkId"]: group for group in response["item"]}
    (author,) = groups["person_with_you"]["extension"]
    assert author["url"] == fhir.AUTHOR_EXTENSION
    assert author["valueReference"] == {"type": "RelatedPerson",
                                        "display": "The person coming to the appointment with the patient"}
    theirs = link_ids(groups["person_with_you"]["item"])
    assert theirs["companion_questions"]["answer"] == [{"valueString": "Can I stay overnight?"}]
    assert "extension" not in groups["questions"] and "Can I stay overnight?" not in str(groups["questions"])


def test_nobody_coming_leaves_the_companion_page_out_of_a_response():
    version = shipped(LIVER)
    answers = {"companion": "no", "companion_questions": [{"id": "own-1", "text": "Can I stay overnight?"}]}
    response = fhir.response_resource(version.questionnaire, answers, reference="PFP-ACDEFG", slug=LIVER,
                                      version=version.version, authored=None, base_url=BASE)
    assert "person_with_you" not in {group["linkId"] for group in response["item"]}
