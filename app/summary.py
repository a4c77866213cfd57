"""One place that turns an answer set into what a person reads: check answers now, the PDF later."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from .content import Catalogue, Procedure
from .models import AnswerSet
from .patient import journey
from .templating import catalogue as current_catalogue
from .templating import long_date

NOT_PROVIDED = "Not provided"
LABELS = {
    "companion": {"yes": "Yes", "no": "No", "not-sure": "Not sure yet"},
    "interpreter": {"yes": "Yes", "no": "No"},
    "rating": {"not": "Not important", "quite": "Quite important", "very": "Very important"},
    "consent": {"understand": "I understand", "explain": "I'd like this explained"},
    "leaning": {"have": "Leaning towards having it", "not-have": "Leaning towards not having it", "not-sure": "Not sure yet"},
    "role": {"myself": "I want to decide myself", "together": "Together with my clinician", "clinician": "I want my clinician to decide"},
    "yes_no": {"yes": "Yes", "no": "No"},
}


@dataclass
class Row:
    label: str
    lines: list[str]
    anchor: str = ""


@dataclass
class SummarySection:
    key: str
    title: str
    endpoint: str
    rows: list[Row] = field(default_factory=list)


def _text(value) -> list[str]:
    return [value] if value else [NOT_PROVIDED]


def _label(kind: str, value) -> list[str]:
    return [LABELS[kind][value]] if value in LABELS[kind] else [NOT_PROVIDED]


def build_summary(answer_set: AnswerSet, procedure: Procedure, catalogue: Catalogue | None = None) -> list[SummarySection]:
    """Every section with every answer; skipped answers read "Not provided"."""
    catalogue = catalogue or current_catalogue()
    answers = answer_set.answers
    sections = {s.key: SummarySection(s.key, s.title, s.endpoint) for s in journey.SECTIONS}

    about = answers.get("about_you", {})
    when = about.get("appointment_date")
    interpreter = _label("interpreter", about.get("interpreter"))
    if about.get("interpreter") == "yes":
        interpreter = [f"Yes: {about.get('language')}"]
    sections["about_you"].rows = [
        Row("Name", _text(about.get("name"))),
        Row("NHS number", _text(about.get("nhs_number"))),
        Row("Appointment date", [long_date(date.fromisoformat(when))] if when else [NOT_PROVIDED]),
        Row("Someone coming with you", _label("companion", about.get("companion"))),
        Row("Interpreter", interpreter),
        Row("Other support", _text(about.get("support_needs"))),
    ]
    for key in ("about_procedure", "benefits_risks"):
        sections[key].rows = [Row("Read", ["Yes"] if answers.get(key) else ["Not yet"])]

    all_questions = catalogue.questions_for(procedure)
    chosen = journey.chosen_questions(answers, all_questions)
    top = journey.top_questions(answers, all_questions)
    sections["questions"].rows = [
        Row("Questions you want to ask", [text + (f" (your note: {note})" if note else "") for _, text, note in chosen] or [NOT_PROVIDED]),
        Row("The questions that matter most", [text for _, text, _ in top] or [NOT_PROVIDED]),
    ]

    matters = answers.get("what_matters", {})
    sections["what_matters"].rows = [
        Row(s.text, _label("rating", matters.get("ratings", {}).get(s.id))) for s in procedure.what_matters
    ] + [Row("Your views and concerns", _text(matters.get("views")))]

    points = answers.get("consent", {}).get("points", {})
    sections["consent"].rows = [Row(p.text, _label("consent", points.get(p.id))) for p in procedure.consent_points]

    where = answers.get("where_you_are", {})
    score = journey.sure_score(answers)
    sections["where_you_are"].rows = [
        Row("Which way you are leaning", _label("leaning", where.get("leaning"))),
        Row("How you want to decide", _label("role", where.get("role"))),
        *[Row(text, _label("yes_no", where.get("sure", {}).get(key))) for key, text in journey.SURE_ITEMS],
        Row("SURE score", [f"{score} out of 4"] if score is not None else [NOT_PROVIDED]),
    ]
    return list(sections.values())
