"""One place that turns an answer set into what a person reads.

`build_summary` gives the check-answers rows; `summarise` gives the summary a
patient prints and a clinician reads, the same for the HTML page and the PDF.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from . import journey
from .content import Catalogue, Procedure
from .models import AnswerSet
from .templating import catalogue as current_catalogue
from .templating import long_date

NOT_PROVIDED = "Not provided"
LABELS = {
    "companion": {"yes": "Yes", "no": "No", "not-sure": "Not sure yet"},
    "interpreter": {"yes": "Yes", "no": "No"},
    "rating": {"not": "Not important", "quite": "Quite important", "very": "Very important"},
    "consent": {"understand": "I understand", "explain": "I'd like this explained"},
    "leaning": {"have": "Leaning towards having it", "not-have": "Leaning towards not having it",
                "not-sure": "Not sure yet"},
    "role": {"myself": "I want to decide myself", "together": "Together with my clinician",
             "clinician": "I want my clinician to decide"},
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


def _word(kind: str, value) -> str:
    return LABELS[kind].get(value, NOT_PROVIDED)


def _label(kind: str, value) -> list[str]:
    return [_word(kind, value)]


def build_summary(answer_set: AnswerSet, procedure: Procedure,
                  catalogue: Catalogue | None = None) -> list[SummarySection]:
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
        Row("Questions you want to ask",
            [text + (f" (your note: {note})" if note else "") for _, text, note in chosen] or [NOT_PROVIDED]),
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

# How each consent point is marked on the summary, for the person explaining it.
CONSENT_MARKS = {"understand": "Understood", "explain": "Explain this"}


@dataclass(frozen=True)
class ChosenQuestion:
    text: str
    note: str
    own: bool
    top: bool


@dataclass(frozen=True)
class Answered:
    """A statement and the patient's answer; `flag` marks what needs attention."""

    text: str
    answer: str
    flag: bool = False


@dataclass(frozen=True)
class Summary:
    reference: str
    procedure: Procedure
    submitted_at: datetime | None
    name: str
    nhs_number: str
    appointment: date | None
    sure_score: int | None
    sure_no: list[str]
    leaning: str
    role: str
    interpreter: str
    language: str
    companion: str
    other_support: str
    concerns: str
    questions: list[ChosenQuestion]
    what_matters: list[Answered]
    consent: list[Answered]

    @property
    def support(self) -> list[tuple[str, str]]:
        """Interpreter and language first: a clinic has to book one before the day."""
        rows = [
            ("Interpreter", f"Yes, {self.language}" if self.language else self.interpreter),
            ("Someone coming with them", self.companion),
        ]
        return rows + [("Other support", self.other_support)] if self.other_support else rows

    @property
    def top_questions(self) -> list[ChosenQuestion]:
        return [q for q in self.questions if q.top]

    @property
    def needs_more_support(self) -> bool:
        return journey.needs_more_support(self.sure_score)

    @property
    def to_explain(self) -> list[Answered]:
        return [point for point in self.consent if point.flag]


def summarise(answer_set: AnswerSet, procedure: Procedure, catalogue: Catalogue | None = None) -> Summary:
    """The at-a-glance facts first, then every answer, in the patient's words."""
    catalogue = catalogue or current_catalogue()
    answers = answer_set.answers
    about = answers.get("about_you", {})
    where = answers.get("where_you_are", {})
    sure = where.get("sure", {})
    matters = answers.get("what_matters", {})
    points = answers.get("consent", {}).get("points", {})
    all_questions = catalogue.questions_for(procedure)
    top = {key for key, _, _ in journey.top_questions(answers, all_questions)}
    when = about.get("appointment_date")

    return Summary(
        reference=answer_set.reference,
        procedure=procedure,
        submitted_at=answer_set.submitted_at,
        name=about.get("name", ""),
        nhs_number=about.get("nhs_number", ""),
        appointment=date.fromisoformat(when) if when else None,
        sure_score=journey.sure_score(answers),
        sure_no=[text for key, text in journey.SURE_ITEMS if sure.get(key) == "no"],
        leaning=_word("leaning", where.get("leaning")),
        role=_word("role", where.get("role")),
        interpreter=_word("interpreter", about.get("interpreter")),
        language=about.get("language", "") if about.get("interpreter") == "yes" else "",
        companion=_word("companion", about.get("companion")),
        other_support=about.get("support_needs", ""),
        concerns=matters.get("views", ""),
        questions=[
            ChosenQuestion(text, note, own=key.startswith("own:"), top=key in top)
            for key, text, note in journey.chosen_questions(answers, all_questions)
        ],
        what_matters=[
            Answered(s.text, _word("rating", matters.get("ratings", {}).get(s.id)),
                     flag=matters.get("ratings", {}).get(s.id) == "very")
            for s in procedure.what_matters
        ],
        consent=[
            Answered(p.text, CONSENT_MARKS.get(points.get(p.id), NOT_PROVIDED), flag=points.get(p.id) == "explain")
            for p in procedure.consent_points
        ],
    )
