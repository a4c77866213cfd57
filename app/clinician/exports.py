"""Sent answers in the shapes other systems read: CSV for a spreadsheet, FHIR R4 for a patient record.

Pure functions over answer sets and content. The views load, authorise and
audit; nothing here touches the request or the database.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import datetime

from .. import journey
from ..content import Catalogue, Procedure
from ..models import AnswerSet
from ..summary import LABELS, NOT_PROVIDED, ChosenQuestion, Summary, summarise

CSV_HEADERS = (
    "Reference", "Procedure", "Status", "Sent", "Reviewed", "Information version",
    "Name", "NHS number", "Appointment date", "Interpreter", "Language", "Someone coming", "Other support",
    "SURE score", "Leaning", "Who decides", "Most important questions", "Questions to ask", "Own questions",
    "Views and concerns", "Consent points to explain", "What matters",
)
# A spreadsheet runs a cell starting with one of these as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
LIST_SEPARATOR = " | "

# The two information pages record only that the patient read them.
READ_ITEMS = {
    "about_procedure": "I have read about the procedure",
    "benefits_risks": "I have read about the benefits and risks",
}
# One code system per set of answers; interpreter and the SURE test share yes/no.
CODE_SYSTEMS = {
    "companion": "companion", "interpreter": "yes-no", "yes_no": "yes-no", "rating": "importance",
    "consent": "understanding", "leaning": "leaning", "role": "decision-role",
}
VALUE_TYPES = {
    "string": "valueString", "text": "valueString", "date": "valueDate",
    "boolean": "valueBoolean", "integer": "valueInteger",
}


def utc_timestamp(moment: datetime | None) -> str:
    """ISO 8601 with a Z: we store naive UTC, and a reader must not take it for local time."""
    return f"{moment.isoformat(timespec='seconds')}Z" if moment else ""


# CSV


def submissions_csv(answer_sets: Iterable[AnswerSet], catalogue: Catalogue) -> str:
    """One row per answer set, with a header row, safe to open in a spreadsheet."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_HEADERS)
    writer.writeheader()
    for answer_set in answer_sets:
        summary = summarise(answer_set, catalogue.get(answer_set.procedure_slug), catalogue)
        writer.writerow({header: _spreadsheet_safe(value) for header, value in _csv_row(answer_set, summary).items()})
    return out.getvalue()


def _spreadsheet_safe(value: str) -> str:
    """The cell as text: a leading apostrophe stops patient text running as a formula."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _csv_row(answer_set: AnswerSet, summary: Summary) -> dict[str, str]:
    return {
        "Reference": summary.reference,
        "Procedure": summary.procedure.title,
        "Status": "Reviewed" if answer_set.reviewed else "Not reviewed",
        "Sent": utc_timestamp(answer_set.submitted_at),
        "Reviewed": utc_timestamp(answer_set.reviewed_at),
        "Information version": answer_set.content_version,
        "Name": summary.name,
        "NHS number": summary.nhs_number,
        "Appointment date": summary.appointment.isoformat() if summary.appointment else "",
        "Interpreter": _given(summary.interpreter),
        "Language": summary.language,
        "Someone coming": _given(summary.companion),
        "Other support": summary.other_support,
        "SURE score": "" if summary.sure_score is None else str(summary.sure_score),
        "Leaning": _given(summary.leaning),
        "Who decides": _given(summary.role),
        "Most important questions": LIST_SEPARATOR.join(q.text for q in summary.top_questions),
        "Questions to ask": LIST_SEPARATOR.join(_with_note(q) for q in summary.questions if not q.own),
        "Own questions": LIST_SEPARATOR.join(q.text for q in summary.questions if q.own),
        "Views and concerns": summary.concerns,
        "Consent points to explain": LIST_SEPARATOR.join(point.text for point in summary.to_explain),
        "What matters": "; ".join(f"{s.text}: {s.answer}" for s in summary.what_matters if s.answer != NOT_PROVIDED),
    }


def _given(label: str) -> str:
    """Blank, not "Not provided", like every other unanswered cell, so filters treat them alike."""
    return "" if label == NOT_PROVIDED else label


def _with_note(question: ChosenQuestion) -> str:
    return f"{question.text} (note: {question.note})" if question.note else question.text


# FHIR Questionnaire


def questionnaire_url(procedure: Procedure, base_url: str) -> str:
    return f"{base_url.rstrip('/')}/fhir/Questionnaire/{procedure.slug}"


def questionnaire(procedure: Procedure, catalogue: Catalogue, base_url: str) -> dict:
    """The journey's questions for one procedure as a FHIR R4 Questionnaire, at its content version."""
    return {
        "resourceType": "Questionnaire",
        "id": f"{procedure.slug}-{procedure.version}",
        "url": questionnaire_url(procedure, base_url),
        "version": procedure.version,
        # FHIR's computable name: letters and digits, starting with a capital.
        "name": "".join(word.capitalize() for word in procedure.slug.split("-")),
        "title": procedure.title,
        "status": "active",
        "subjectType": ["Patient"],
        "item": _questionnaire_items(procedure, catalogue, base_url),
    }


def _questionnaire_items(procedure: Procedure, catalogue: Catalogue, base_url: str) -> list[dict]:
    """A group per section in journey order; the information pages are a single tick each."""
    groups = {
        "about_you": _about_you(base_url),
        "questions": _questions(catalogue.questions_for(procedure)),
        "what_matters": [
            *(_choice(f"what_matters.{s.id}", s.text, "rating", base_url) for s in procedure.what_matters),
            _item("what_matters.views", "Your views and concerns", "text"),
        ],
        "consent": [_choice(f"consent.{p.id}", p.text, "consent", base_url) for p in procedure.consent_points],
        "where_you_are": _where_you_are(base_url),
    }
    return [
        _item(f"{s.key}.read", READ_ITEMS[s.key], "boolean") if s.key in READ_ITEMS
        else _item(s.key, s.title, "group", item=groups[s.key])
        for s in journey.SECTIONS
    ]


def _about_you(base_url: str) -> list[dict]:
    interpreter_needed = {"question": "about_you.interpreter", "operator": "=",
                          "answerCoding": _coding("interpreter", "yes", base_url)}
    return [
        _item("about_you.name", "Your name", "string"),
        _item("about_you.nhs_number", "Your NHS number", "string"),
        _item("about_you.appointment_date", "When is your appointment?", "date"),
        _choice("about_you.companion", "Will someone come with you to the appointment?", "companion", base_url),
        _choice("about_you.interpreter", "Do you need an interpreter?", "interpreter", base_url),
        _item("about_you.language", "Which language?", "string", enableWhen=[interpreter_needed]),
        _item("about_you.support_needs", "Do you need any other support?", "text"),
    ]


def _questions(all_questions) -> list[dict]:
    items = []
    for question in all_questions:
        asked = {"question": f"questions.ask.{question.id}", "operator": "=", "answerBoolean": True}
        items.append(_item(f"questions.ask.{question.id}", question.text, "boolean"))
        items.append(_item(f"questions.note.{question.id}", "Your note", "text", enableWhen=[asked]))
    # Top questions may be the patient's own, which no answer list can name in advance.
    return items + [
        _item("questions.own", "Your own questions", "string", repeats=True),
        _item("questions.top", "Which questions matter most to you?", "string", repeats=True),
    ]


def _where_you_are(base_url: str) -> list[dict]:
    return [
        _choice("where_you_are.leaning", "Which way are you leaning at the moment?", "leaning", base_url),
        _choice("where_you_are.role", "How would you like the decision to be made?", "role", base_url),
        *(_choice(f"where_you_are.sure.{key}", text, "yes_no", base_url) for key, text in journey.SURE_ITEMS),
        # Worked out from the four answers above, never typed.
        _item("where_you_are.sure_score", "SURE score (one point for each yes, 0 to 4)", "integer", readOnly=True),
    ]


def _item(link_id: str, text: str, item_type: str, **extra) -> dict:
    return {"linkId": link_id, "text": text, "type": item_type, **extra}


def _choice(link_id: str, text: str, kind: str, base_url: str) -> dict:
    options = [{"valueCoding": _coding(kind, code, base_url)} for code in LABELS[kind]]
    return _item(link_id, text, "choice", answerOption=options)


def _coding(kind: str, code: str, base_url: str) -> dict:
    system = f"{base_url.rstrip('/')}/fhir/CodeSystem/{CODE_SYSTEMS[kind]}"
    return {"system": system, "code": code, "display": LABELS[kind][code]}


# FHIR QuestionnaireResponse


def questionnaire_response(answer_set: AnswerSet, procedure: Procedure, catalogue: Catalogue, base_url: str) -> dict:
    """A sent answer set as a FHIR R4 QuestionnaireResponse to the version of the questions the patient saw."""
    if not answer_set.submitted:
        raise ValueError(f"Answer set {answer_set.reference} has not been sent, so its answers are not final")
    items = _questionnaire_items(procedure, catalogue, base_url)
    return {
        "resourceType": "QuestionnaireResponse",
        "identifier": {"system": f"{base_url.rstrip('/')}/fhir/reference", "value": answer_set.reference},
        "questionnaire": f"{questionnaire_url(procedure, base_url)}|{answer_set.content_version}",
        "status": "completed",
        "authored": utc_timestamp(answer_set.submitted_at),
        "item": _answered(items, _answers_by_link_id(answer_set.answers, procedure, catalogue)),
    }


def _answered(items: list[dict], answers: dict[str, list]) -> list[dict]:
    """The questionnaire's items that have answers, in its order: FHIR forbids empty answers and groups."""
    kept = []
    for item in items:
        if item["type"] == "group":
            if children := _answered(item["item"], answers):
                kept.append({"linkId": item["linkId"], "text": item["text"], "item": children})
        elif values := [a for value in answers.get(item["linkId"], []) if (a := _answer(item, value))]:
            kept.append({"linkId": item["linkId"], "text": item["text"], "answer": values})
    return kept


def _answer(item: dict, value) -> dict | None:
    """The value typed as its item says; None for no answer or a code the item does not offer."""
    if value is None or value == "":
        return None
    if item["type"] == "choice":
        codings = [o["valueCoding"] for o in item["answerOption"] if o["valueCoding"]["code"] == value]
        return {"valueCoding": codings[0]} if codings else None
    return {VALUE_TYPES[item["type"]]: value}


def _answers_by_link_id(answers: dict, procedure: Procedure, catalogue: Catalogue) -> dict[str, list]:
    """Every stored answer under the linkId of the item that asks it."""
    all_questions = catalogue.questions_for(procedure)
    questions = answers.get("questions", {})
    chosen = questions.get("chosen", {})
    matters = answers.get("what_matters", {})
    where = answers.get("where_you_are", {})
    found = {f"about_you.{name}": [value] for name, value in answers.get("about_you", {}).items()}
    found |= {f"{key}.read": [answers.get(key, {}).get("read")] for key in READ_ITEMS}
    if "questions" in answers:  # once the page is saved, an unticked question is a "no"
        found |= {f"questions.ask.{q.id}": [q.id in chosen] for q in all_questions}
    found |= {f"questions.note.{question_id}": [note] for question_id, note in chosen.items()}
    found["questions.own"] = list(questions.get("own", []))
    found["questions.top"] = [text for _, text, _ in journey.top_questions(answers, all_questions)]
    found |= {f"what_matters.{s_id}": [rating] for s_id, rating in matters.get("ratings", {}).items()}
    found["what_matters.views"] = [matters.get("views")]
    found |= {f"consent.{p_id}": [mark] for p_id, mark in answers.get("consent", {}).get("points", {}).items()}
    found |= {f"where_you_are.sure.{key}": [value] for key, value in where.get("sure", {}).items()}
    found["where_you_are.leaning"] = [where.get("leaning")]
    found["where_you_are.role"] = [where.get("role")]
    found["where_you_are.sure_score"] = [journey.sure_score(answers)]
    return found
