"""One summary of an answer set, for everyone who reads it.

Built from the questionnaire of the version the answer set follows, so check
answers, the summary page, the PDF, the staff pages and the CSV all say the
same thing, in the words of the version the patient saw.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from .content import Procedure
from .content.versions import Version
from .i18n import gettext
from .i18n import lazy_gettext as _l
from .models import AnswerSet
from .questionnaire.definition import needs_more_support
from .questionnaire.items import Ask, Item, OwnQuestions, Read
from .questionnaire.structure import Glance, Group, Questionnaire, ResolvedSection

NOT_PROVIDED = _l("Not provided")
# What kind of section a summary shows how: the patient's answers, pages they read, or the questions to ask.
ANSWERS, READ, QUESTIONS = "answers", "read", "questions"


@dataclass(frozen=True)
class Row:
    label: str
    lines: tuple[str, ...]  # as a summary says it; none means not provided
    page_lines: tuple[str, ...]  # in the words the patient chose, for check answers
    page: str  # where it is changed
    flag: bool = False  # needs attention at the appointment
    typed: bool = False  # the patient's own words
    item: str = ""  # the item's id, for one answer; page one of the PDF points at its row


@dataclass(frozen=True)
class SummarySection:
    key: str
    title: str
    page: str
    rows: tuple[Row, ...]
    kind: str
    statements: bool = False  # rows labelled by long statements (what matters, consent points)
    answered_by: str = ""  # whose answers, when not the patient's


@dataclass(frozen=True)
class ChosenQuestion:
    id: str
    text: str
    note: str
    own: bool
    top: bool


@dataclass(frozen=True)
class Companion:
    """What the person coming with the patient wrote: their own, never mixed with the patient's answers."""

    by: str
    questions: tuple[str, ...]
    worries: str


@dataclass(frozen=True)
class Summary:
    reference: str
    procedure: Procedure
    submitted_at: datetime | None
    sections: tuple[SummarySection, ...]
    questions: tuple[ChosenQuestion, ...]
    earlier: tuple[dict, ...]  # answers to items a newer version removed
    name: str
    nhs_number: str
    appointment: date | None
    sure_score: int | None
    sure_no: tuple[str, ...]
    leaning: str
    role: str
    interpreter: str
    needs_interpreter: bool
    formats: tuple[str, ...]
    companion: str
    other_support: str
    concerns: str
    to_explain: tuple[str, ...]
    glance: Glance  # which items the at-a-glance facts come from, by id
    theirs: Companion | None  # the companion's page, when someone is coming
    wants_large_print: bool = False

    @property
    def version(self) -> str:
        return self.procedure.version

    @property
    def support(self) -> list[tuple[str, str, bool, str]]:
        """(label, words, needed, item id): what a clinic must book or prepare before the day first
        (interpreter, formats), each marked when needed."""
        g = self.glance
        rows = [(gettext("Interpreter"), self.interpreter, self.needs_interpreter, g.interpreter),
                (gettext("Information in another format"), ", ".join(self.formats), bool(self.formats), g.formats)]
        if self.other_support:
            rows.append((gettext("Other support"), self.other_support, True, g.other_support))
        return [*rows, (gettext("Someone coming with them"), self.companion, False, g.companion)]

    @property
    def top_questions(self) -> list[ChosenQuestion]:
        return [q for q in self.questions if q.top]

    @property
    def needs_more_support(self) -> bool:
        return needs_more_support(self.sure_score)

    @property
    def flagged(self) -> list[Row]:
        """The answers that need attention at the appointment (the consent points to explain), in order."""
        return [row for section in self.sections for row in section.rows if row.flag]

    @property
    def answer_sections(self) -> list[SummarySection]:
        """The sections whose answers the summary lists (questions have their own part, read pages none)."""
        return [s for s in self.sections if s.kind == ANSWERS]


def answer_sections(answer_set: AnswerSet, version: Version) -> tuple[SummarySection, ...]:
    """Every section with every answer, in the words of the answer set's own version (what check answers lists)."""
    questionnaire, answers = version.questionnaire, answer_set.answers
    return tuple(_section(s, answers, questionnaire.glance) for s in questionnaire.sections if s.applies(answers))


def summarise(answer_set: AnswerSet, version: Version) -> Summary:
    """Every answer, and the at-a-glance facts first, in the words of the answer set's own version."""
    questionnaire, answers = version.questionnaire, answer_set.answers
    glance = questionnaire.glance
    words = _Words(questionnaire, answers)
    interpreter = words.line(glance.interpreter)
    language = words.line(glance.language)
    return Summary(
        reference=answer_set.reference,
        procedure=version.procedure,
        submitted_at=answer_set.submitted_at,
        sections=answer_sections(answer_set, version),
        questions=tuple(_questions(questionnaire, answers)),
        earlier=tuple(answer_set.earlier_answers or ()),
        name=words.line(glance.name),
        nhs_number=words.line(glance.nhs_number),
        appointment=date.fromisoformat(answers[glance.appointment]) if answers.get(glance.appointment) else None,
        sure_score=words.value(glance.sure_score),
        sure_no=tuple(str(questionnaire.item(key).label) for key in glance.sure if answers.get(key) == "no"),
        leaning=words.line(glance.leaning) or NOT_PROVIDED,
        role=words.line(glance.role) or NOT_PROVIDED,
        interpreter=f"{interpreter}: {language}" if interpreter and language else interpreter or NOT_PROVIDED,
        needs_interpreter=needs_interpreter(questionnaire, answers),
        formats=tuple(words.lines(glance.formats)),
        companion=words.line(glance.companion) or NOT_PROVIDED,
        other_support=words.line(glance.other_support),
        concerns=words.line(glance.concerns),
        to_explain=tuple(
            str(item.label) for group in questionnaire.groups() if group.heading == glance.to_explain
            for item in group.items if answers.get(item.id) == glance.explain_value
        ),
        glance=glance,
        theirs=_companion(questionnaire, words),
        wants_large_print=asks_for_large_print(answers, glance),
    )


def asks_for_large_print(answers: dict, glance: Glance) -> bool:
    """Whether the answer the glance names for large print (an item and its value, or one of its values) was given."""
    if not glance.large_print:
        return False
    item_id, value = glance.large_print
    answer = answers.get(item_id)
    return value in answer if isinstance(answer, list) else answer == value


def needs_interpreter(questionnaire: Questionnaire, answers: dict) -> bool:
    """Any answer but "no" to the interpreter question: one must be booked."""
    item_id = questionnaire.glance.interpreter
    item = questionnaire.item(item_id) if item_id else None
    return item is not None and item.answered(answers.get(item_id)) and answers.get(item_id) != "no"


def support_needs(questionnaire: Questionnaire, answers: dict) -> tuple[bool, bool]:
    """(needs an interpreter, needs information in another format): what the staff list filters on."""
    formats = _Words(questionnaire, answers).lines(questionnaire.glance.formats)
    return needs_interpreter(questionnaire, answers), bool(formats)


def _companion(questionnaire: Questionnaire, words: _Words) -> Companion | None:
    glance = questionnaire.glance
    item = questionnaire.item(glance.companion_questions) if glance.companion_questions else None
    if item is None or not item.applies(words.answers):
        return None
    section = next(s for s in questionnaire.sections if any(i.id == item.id for i in s.items))
    return Companion(section.answered_by, tuple(words.lines(glance.companion_questions)),
                     words.line(glance.companion_worries))


class _Words:
    """An item's answer as a summary says it, by the item's id; nothing for an id the definition lacks."""

    def __init__(self, questionnaire: Questionnaire, answers: dict):
        self.questionnaire, self.answers = questionnaire, answers

    def lines(self, item_id: str) -> list[str]:
        item = self.questionnaire.item(item_id) if item_id else None
        if item is None or not item.applies(self.answers):
            return []
        return item.lines(self.answers.get(item_id), self.answers)

    def line(self, item_id: str) -> str:
        return " ".join(self.lines(item_id))

    def value(self, item_id: str):
        item = self.questionnaire.item(item_id) if item_id else None
        return item.value(self.answers) if item is not None and hasattr(item, "value") else None


def _section(section: ResolvedSection, answers: dict, glance) -> SummarySection:
    rows = []
    for page in section.pages_for(answers):
        for part in page.parts:
            if isinstance(part, Group) and part.one_row:
                rows.append(_group_row(part, answers, page.key))
            elif isinstance(part, Group):
                flagged = part.heading == glance.to_explain
                rows += [_row(i, answers, page.key, flag=flagged and answers.get(i.id) == glance.explain_value)
                         for i in part.items]
            elif isinstance(part, Item) and part.applies(answers):
                rows.append(_row(part, answers, page.key))
    items = section.items
    kind = READ if items and all(isinstance(i, Read) for i in items) else (
        QUESTIONS if any(isinstance(i, Ask | OwnQuestions) for i in items) else ANSWERS)
    statements = any(isinstance(part, Group) and not part.one_row for page in section.pages for part in page.parts)
    return SummarySection(section.key, section.title, section.first_page.key, tuple(rows), kind, statements,
                          section.answered_by)


def _row(item: Item, answers: dict, page: str, flag: bool = False) -> Row:
    value = answers.get(item.id)
    return Row(item.heading, tuple(item.lines(value, answers)), tuple(item.page_lines(value, answers)), page,
               flag=flag, typed=item.kind in ("text", "long_text", "own_questions"), item=item.id)


def _group_row(group: Group, answers: dict, page: str) -> Row:
    lines = [line for i in group.items for line in i.lines(answers.get(i.id), answers)]
    page_lines = [line for i in group.items for line in i.page_lines(answers.get(i.id), answers)]
    return Row(group.heading, tuple(lines), tuple(page_lines), page, typed=True)


def _questions(questionnaire: Questionnaire, answers: dict) -> list[ChosenQuestion]:
    """Each question the patient wants to ask, suggested ones first, marked if it is one of the top ones.

    Only the patient's own: questions from the person coming with them are theirs (Summary.theirs).
    """
    glance = questionnaire.glance
    top = set(answers.get(glance.top_questions) or []) if glance.top_questions else set()
    chosen = [ChosenQuestion(item.id, item.label, answers[item.id], own=False, top=item.id in top)
              for item in questionnaire.items if isinstance(item, Ask) and answers.get(item.id) is not None]
    own = answers.get(glance.own_questions) or [] if glance.own_questions else []
    return chosen + [ChosenQuestion(q["id"], q["text"], "", own=True, top=q["id"] in top) for q in own]
