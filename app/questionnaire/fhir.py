"""A questionnaire as FHIR R4: the Questionnaire of a version, and a QuestionnaireResponse that follows it.

Every item says what it looks like in FHIR (questionnaire/items.py); this
puts them in groups, one per section in journey order, and adds what
crosses items (an item asked only after another's answer).
"""

from __future__ import annotations

from datetime import datetime

from .choices import ChoiceSet
from .structure import Questionnaire


def utc_timestamp(moment: datetime | None) -> str:
    """ISO 8601 with a Z: we store naive UTC, and a reader must not take it for local time."""
    return f"{moment.isoformat(timespec='seconds')}Z" if moment else ""


def canonical_url(slug: str, base_url: str) -> str:
    return f"{base_url.rstrip('/')}/fhir/Questionnaire/{slug}"


class Coding:
    """Codings in code systems named under the service's own base URL."""

    def __init__(self, base_url: str):
        self.base = base_url.rstrip("/")

    def __call__(self, choices: ChoiceSet, value: str) -> dict:
        chosen = choices.get(value)
        return {"system": f"{self.base}/fhir/CodeSystem/{choices.system}", "code": chosen.value,
                "display": str(chosen.words)}


def questionnaire_resource(questionnaire: Questionnaire, slug: str, title: str, version: str, base_url: str,
                           status: str = "active", language: str = "en") -> dict:
    """The journey's questions for one version of a procedure, as a FHIR R4 Questionnaire, in one language.

    One resource per language, each whole, rather than one carrying FHIR's
    translation extension on every text: a reader shows the one it needs
    without knowing the extension, and the Welsh texts of content-derived
    items come from the version's translation, not from the English ones.
    Their items and linkIds are the same, so a response matches either.
    """
    return {
        "resourceType": "Questionnaire",
        "id": f"{slug}-{version}" if language == "en" else f"{slug}-{version}-{language}",
        "language": language,
        "url": canonical_url(slug, base_url),
        "version": version,
        # FHIR's computable name: letters and digits, starting with a capital.
        "name": "".join(word.capitalize() for word in slug.split("-")),
        "title": title,
        "status": status,
        "subjectType": ["Patient"],
        "item": _items(questionnaire, Coding(base_url)),
    }


def _items(questionnaire: Questionnaire, coding: Coding) -> list[dict]:
    groups = []
    for section in questionnaire.sections:
        children = []
        for item in section.items:
            found = item.fhir_items(coding)
            if item.conditions:
                found[0]["enableWhen"] = [{"question": other, "operator": "=",
                                           "answerCoding": coding(questionnaire.item(other).choices, value)}
                                          for other, value in item.conditions]
                if len(item.conditions) > 1:
                    found[0]["enableBehavior"] = "all"
            children += found
        if children:
            groups.append({"linkId": section.key, "text": str(section.title), "type": "group", "item": children})
    return groups


# Who answered a group, when not the patient (FHIR R4's core extension for QuestionnaireResponse.item).
AUTHOR_EXTENSION = "http://hl7.org/fhir/StructureDefinition/questionnaireresponse-author"


def _answered_by(section) -> dict:
    if not section.answered_by:
        return {}
    return {"extension": [{"url": AUTHOR_EXTENSION,
                           "valueReference": {"type": "RelatedPerson", "display": str(section.answered_by)}}]}


def response_resource(questionnaire: Questionnaire, answers: dict, *, reference: str, slug: str, version: str,
                      authored: datetime | None, base_url: str, status: str = "completed",
                      language: str = "en") -> dict:
    """Answers as a FHIR R4 QuestionnaireResponse to `url|version`, item by item in its own version's order."""
    coding = Coding(base_url)
    groups = []
    for section in questionnaire.sections:
        children = [found for item in section.items if item.applies(answers)
                    for found in item.fhir_answers(answers.get(item.id), answers, coding)]
        if children:  # FHIR forbids empty groups and empty answers
            groups.append({"linkId": section.key, "text": str(section.title), **_answered_by(section),
                           "item": children})
    resource = {
        "resourceType": "QuestionnaireResponse",
        "language": language,  # the language the patient answered in; the texts here are English
        "identifier": {"system": f"{base_url.rstrip('/')}/fhir/reference", "value": reference},
        "questionnaire": f"{canonical_url(slug, base_url)}|{version}",
        "status": status,
        "item": groups,
    }
    if authored:
        resource["authored"] = utc_timestamp(authored)
    return resource
