"""The kinds of item a questionnaire is made of, and what each knows about itself.

An item has a stable id (the key its answer is stored under, and its form
field's name), the words a patient reads, and whether it must be answered.
Each kind knows its form fields, how to fill them from a stored answer and
read them back, how its answer reads in check answers and in summaries, and
how it looks in FHIR. Every page, summary and export asks the item, so adding
an item to the definition is all it takes to show it everywhere.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cache

from wtforms import BooleanField, FieldList, Form, FormField, HiddenField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, ValidationError

from ..forms import NOTE_LIMIT, DateInputField, capital, choice, limited_text, nhs_number, too_long
from ..i18n import gettext, with_content
from ..i18n import lazy_gettext as _l
from .choices import YES_NO, ChoiceSet

NOT_PROVIDED = _l("Not provided")


@dataclass(frozen=True)
class Item:
    """What every item has. `required` is the message shown when it is left unanswered."""

    id: str
    label: str
    summary_label: str = ""
    hint: str = ""
    required: str = ""
    # Asked only when another item has this answer: ("interpreter", "spoken").
    shown_when: tuple[str, str] | None = None
    # The same for the page it is on (structure.Page.shown_when), set when the definition is applied.
    page_shown_when: tuple[str, str] | None = None

    kind = "item"
    fhir_type = "string"

    @property
    def heading(self) -> str:
        """Its label in check answers, summaries and exports."""
        return self.summary_label or self.label

    @property
    def wording(self) -> tuple:
        """Everything the patient reads about this item: when it changes, the item was reworded."""
        return (self.kind, self.label, self.hint)

    @property
    def field_options(self) -> dict | None:
        """How the page draws it with the one field() macro; None for a kind with its own (items.html)."""
        return None

    @property
    def conditions(self) -> tuple[tuple[str, str], ...]:
        """(item id, answer) pairs that must all hold for this item to be asked."""
        return tuple(c for c in (self.page_shown_when, self.shown_when) if c)

    def applies(self, answers: dict) -> bool:
        return all(answers.get(other) == value for other, value in self.conditions)

    # Forms

    def fields(self) -> dict:
        return {self.id: self.make_field()}

    def make_field(self):
        raise NotImplementedError

    def prepare(self, form, answers: dict) -> None:
        """Set up what the form needs from the answers before it reads a post (choices, ids)."""

    def load(self, form, value) -> None:
        form[self.id].data = value

    def stored(self, form):
        return form[self.id].data

    def reconcile(self, answers: dict) -> None:
        """Bring this item's stored answer into line with the others (run after every save)."""

    # Words

    def answered(self, value) -> bool:
        return value not in (None, "", [], False)

    def lines(self, value, answers: dict) -> list[str]:
        """How the answer reads in a summary, one line each; empty when not answered."""
        return [value] if self.answered(value) else []

    def page_lines(self, value, answers: dict) -> list[str]:
        """How it reads on check answers, in the words the patient chose."""
        return self.lines(value, answers)

    def cell(self, value, answers: dict) -> str:
        """Its spreadsheet cell: the summary's words, a list joined with " | "."""
        return " | ".join(str(line) for line in self.lines(value, answers))

    # Examples: demo data, benchmarks and tests answer the questionnaire through these.

    def example(self, rng, answers: dict):
        """A plausible answer, drawn with `rng`; the base gives none."""
        return ""

    def form_data(self, value) -> dict:
        """What a browser posts for this answer."""
        return {self.id: value or ""}

    # FHIR

    def fhir_items(self, coding: Callable) -> list[dict]:
        return [self._fhir_item(self.fhir_type)]

    def _fhir_item(self, item_type: str, **extra) -> dict:
        # enableWhen for `shown_when` is added by the FHIR module, which knows the other item's choices.
        return {"linkId": self.id, "text": str(self.heading), "type": item_type, **extra}

    def fhir_answers(self, value, answers: dict, coding: Callable) -> list[dict]:
        """The response items for this answer; none when it is not answered."""
        if not self.answered(value):
            return []
        return [{"linkId": self.id, "text": str(self.heading), "answer": [{_VALUE_TYPES[self.fhir_type]: value}]}]


_VALUE_TYPES = {"string": "valueString", "text": "valueString", "date": "valueDate", "boolean": "valueBoolean",
                "integer": "valueInteger"}


@dataclass(frozen=True)
class Text(Item):
    """One line of text; `thing` names it in the length message ("Name must be 100 characters or fewer")."""

    thing: str = ""
    limit: int = 100
    width: int = 20
    autocomplete: str = ""
    spellcheck: bool = True

    kind = "text"

    @property
    def field_options(self) -> dict | None:
        return {"classes": f"nhsuk-input--width-{self.width}"} if self.width else {}

    def make_field(self):
        render_kw = {"spellcheck": "true" if self.spellcheck else "false"}
        if self.autocomplete:
            render_kw["autocomplete"] = self.autocomplete
        return StringField(self.label, description=self.hint, render_kw=render_kw, validators=[
            Length(max=self.limit, message=too_long(self.thing, self.limit)),
            *self._condition(),
        ])

    def _condition(self) -> list:
        if not (self.shown_when and self.required):
            return []
        other, value = self.shown_when

        def needed(form, field):
            if form[other].data == value and not (field.data or "").strip():
                raise ValidationError(self.required)
        return [needed]

    def stored(self, form):
        return (form[self.id].data or "").strip()

    def reconcile(self, answers: dict) -> None:
        if self.id in answers and not self.applies(answers):
            answers[self.id] = ""  # a language kept after "no interpreter" would still reach the clinic


@dataclass(frozen=True)
class LongText(Item):
    """A text box with a stated limit, never silently cut."""

    thing: str = ""
    limit: int = NOTE_LIMIT

    kind = "long_text"
    fhir_type = "text"
    field_options = {}

    def make_field(self):
        return limited_text(self.label, self.thing, limit=self.limit, description=self.hint)

    def stored(self, form):
        return (form[self.id].data or "").strip()


@dataclass(frozen=True)
class NhsNumber(Item):
    kind = "nhs_number"
    field_options = {"classes": "nhsuk-input--width-10"}

    def make_field(self):
        return StringField(self.label, description=self.hint, validators=[nhs_number],
                           render_kw={"inputmode": "numeric", "spellcheck": "false"})


@dataclass(frozen=True)
class Date(Item):
    """A date in three boxes, stored as YYYY-MM-DD; `future` refuses a date before today, unless it was saved before."""

    thing: str = "the date"
    future: bool = False

    kind = "date"
    fhir_type = "date"
    field_options = {}

    def make_field(self):
        validators = [self._not_past] if self.future else []
        return DateInputField(self.label, validators=validators, description=self.hint, thing=self.thing)

    def _not_past(self, form, field):
        saved = getattr(form, "saved", {}).get(self.id)
        # A date saved before is not asked again: an appointment that has
        # passed must not stop the patient saving the rest of the page.
        if field.data and field.data < date.today() and field.data.isoformat() != saved:
            field.parts_in_error = ("day", "month", "year")
            raise ValidationError(gettext("%(thing)s must be today or in the future", thing=capital(self.thing)))

    def load(self, form, value) -> None:
        form[self.id].process(None, date.fromisoformat(value) if value else None)

    def stored(self, form):
        value = form[self.id].data
        return value.isoformat() if value else None

    def lines(self, value, answers: dict) -> list[str]:
        from ..i18n import long_date

        return [long_date(date.fromisoformat(value))] if value else []

    def example(self, rng, answers: dict):
        return None

    def form_data(self, value) -> dict:
        day = date.fromisoformat(value) if value else None
        return {f"{self.id}[{part}]": str(getattr(day, part)) if day else "" for part in ("day", "month", "year")}


@dataclass(frozen=True)
class Single(Item):
    """One answer from a set of choices, as radios."""

    choices: ChoiceSet = YES_NO
    inline: bool = False
    size: str = "s"  # of the question's legend: "m" for the main questions of a page

    kind = "choice"
    fhir_type = "choice"

    @property
    def field_options(self) -> dict | None:
        return {"legend_class": f"nhsuk-fieldset__legend--{self.size}",
                "classes": "nhsuk-radios--inline" if self.inline else None}

    @property
    def wording(self) -> tuple:
        return (*super().wording, tuple(c.page for c in self.choices.choices))

    def make_field(self):
        return choice(self.label, [(c.value, c.page) for c in self.choices.choices], message=self.required,
                      description=self.hint)

    def lines(self, value, answers: dict) -> list[str]:
        chosen = self.choices.get(value)
        return [str(chosen.words)] if chosen else []

    def page_lines(self, value, answers: dict) -> list[str]:
        chosen = self.choices.get(value)
        return [str(chosen.page)] if chosen else []

    def example(self, rng, answers: dict):
        return rng.choice(self.choices.values)

    def form_data(self, value) -> dict:
        return {self.id: value} if value else {}

    def fhir_items(self, coding: Callable) -> list[dict]:
        options = [{"valueCoding": coding(self.choices, c.value)} for c in self.choices.choices]
        return [self._fhir_item("choice", answerOption=options)]

    def fhir_answers(self, value, answers: dict, coding: Callable) -> list[dict]:
        if self.choices.get(value) is None:
            return []
        return [{"linkId": self.id, "text": str(self.heading),
                 "answer": [{"valueCoding": coding(self.choices, value)}]}]


@dataclass(frozen=True)
class Multiple(Item):
    """Any number of answers from a set of choices, as checkboxes; stored as a list of values, in the set's order."""

    choices: ChoiceSet = YES_NO

    kind = "choices"
    fhir_type = "choice"

    @property
    def field_options(self) -> dict | None:
        return {"legend_class": "nhsuk-fieldset__legend--s"}

    @property
    def wording(self) -> tuple:
        return (*super().wording, tuple(c.page for c in self.choices.choices))

    def make_field(self):
        return SelectMultipleField(self.label, description=self.hint, validate_choice=False,
                                   choices=[SelectChoice(c.value, c.page) for c in self.choices.choices])

    def stored(self, form):
        chosen = set(form[self.id].data or [])
        return [value for value in self.choices.values if value in chosen]  # a tampered value is dropped

    def lines(self, value, answers: dict) -> list[str]:
        return [str(c.words) for c in self.choices.choices if c.value in (value or [])]

    def page_lines(self, value, answers: dict) -> list[str]:
        return [str(c.page) for c in self.choices.choices if c.value in (value or [])]

    def example(self, rng, answers: dict):
        return sorted(rng.sample(self.choices.values, rng.choice([0, 0, 1, 2])), key=self.choices.values.index)

    def form_data(self, value) -> dict:
        return {self.id: list(value or [])}

    def fhir_items(self, coding: Callable) -> list[dict]:
        options = [{"valueCoding": coding(self.choices, c.value)} for c in self.choices.choices]
        return [self._fhir_item("choice", repeats=True, answerOption=options)]

    def fhir_answers(self, value, answers: dict, coding: Callable) -> list[dict]:
        chosen = [c.value for c in self.choices.choices if c.value in (value or [])]
        if not chosen:
            return []
        return [{"linkId": self.id, "text": str(self.heading),
                 "answer": [{"valueCoding": coding(self.choices, v)} for v in chosen]}]


@dataclass(frozen=True)
class Read(Item):
    """An information page: its Continue button records that the patient has read it."""

    kind = "read"
    fhir_type = "boolean"

    def fields(self) -> dict:
        return {}

    def load(self, form, value) -> None:
        pass

    def stored(self, form):
        return True

    def example(self, rng, answers: dict):
        return True

    def form_data(self, value) -> dict:
        return {}

    def lines(self, value, answers: dict) -> list[str]:
        return [gettext("Yes")] if value else [gettext("Not yet")]

    def answered(self, value) -> bool:
        return value is True


@dataclass(frozen=True)
class Ask(Item):
    """A suggested question: ticked to ask it, with an optional note. Stored as the note, or None if not asked.

    A note written under a question that is not ticked adds the question: the
    page says so, and the note is never thrown away.
    """

    kind = "ask"
    fhir_type = "boolean"

    @property
    def note_id(self) -> str:
        return "note_" + self.id.removeprefix("ask_")

    def fields(self) -> dict:
        return {self.id: BooleanField(_l("I want to ask this")),
                self.note_id: limited_text(_l("Your note about this question (optional)"), _l("Your note"))}

    def load(self, form, value) -> None:
        form[self.id].data = value is not None
        form[self.note_id].data = value or ""

    def stored(self, form):
        note = (form[self.note_id].data or "").strip()
        return note if form[self.id].data or note else None

    def answered(self, value) -> bool:
        return value is not None

    def example(self, rng, answers: dict):
        return rng.choice([None, None, ""])

    def form_data(self, value) -> dict:
        return {} if value is None else {self.id: "y", self.note_id: value}

    def lines(self, value, answers: dict) -> list[str]:
        if value is None:
            return []
        return [gettext("%(question)s (note: %(note)s)", question=self.label, note=value) if value else self.label]

    def page_lines(self, value, answers: dict) -> list[str]:
        if value is None:
            return []
        return [with_content(gettext("%(question)s (your note: %(note)s)"), question=self.label, note=value)
                if value else self.label]

    def fhir_items(self, coding: Callable) -> list[dict]:
        asked = {"question": self.id, "operator": "=", "answerBoolean": True}
        return [self._fhir_item("boolean"),
                {"linkId": self.note_id, "text": gettext("Your note"), "type": "text", "enableWhen": [asked]}]

    def fhir_answers(self, value, answers: dict, coding: Callable) -> list[dict]:
        if self.id not in answers:
            return []  # the page was never saved: neither asked nor left out
        items = [{"linkId": self.id, "text": str(self.heading), "answer": [{"valueBoolean": value is not None}]}]
        if value:
            items.append({"linkId": self.note_id, "text": gettext("Your note"), "answer": [{"valueString": value}]})
        return items


@cache
def _question_form(entry_label: str) -> type[Form]:
    return type("OwnQuestionForm", (Form,), {"id": HiddenField(),
                                             "text": limited_text(entry_label, entry_label, limit=500)})


@dataclass(frozen=True)
class OwnQuestions(Item):
    """Questions someone writes, each with an id of its own, so deleting one never moves another."""

    limit: int = 10
    entry_label: str = _l("Your question")  # each box's label, numbered: "Your question 2 (optional)"

    kind = "own_questions"

    def make_field(self):
        return FieldList(FormField(_question_form(self.entry_label)), min_entries=1, max_entries=self.limit)

    def load(self, form, value) -> None:
        entries = form[self.id]
        while len(entries) < len(value or []):
            entries.append_entry()
        for entry, question in zip(entries, value or []):
            entry.form.id.data, entry.form.text.data = question["id"], question["text"]

    def prepare(self, form, answers: dict) -> None:
        form.own_ids = {q["id"] for q in answers.get(self.id) or []}

    def stored(self, form):
        kept, seen = [], set()
        for entry in form[self.id]:
            text = (entry.form.text.data or "").strip()
            if not text:
                continue
            # Only ids we gave out are kept, once each: an altered page cannot claim another's place.
            question_id = entry.form.id.data
            if question_id not in getattr(form, "own_ids", set()) or question_id in seen:
                question_id = f"own-{secrets.token_hex(4)}"
            seen.add(question_id)
            kept.append({"id": question_id, "text": text})
        return kept

    def lines(self, value, answers: dict) -> list[str]:
        return [q["text"] for q in value or []]

    def example(self, rng, answers: dict):
        return []

    def form_data(self, value) -> dict:
        """New questions post no id (the server gives one); kept ones post theirs."""
        data = {}
        for i, question in enumerate(value or []):
            data[f"{self.id}-{i}-text"] = question["text"]
            if question.get("id"):
                data[f"{self.id}-{i}-id"] = question["id"]
        return data

    def fhir_items(self, coding: Callable) -> list[dict]:
        return [self._fhir_item("string", repeats=True)]

    def fhir_answers(self, value, answers: dict, coding: Callable) -> list[dict]:
        if not value:
            return []
        return [{"linkId": self.id, "text": str(self.heading), "answer": [{"valueString": q["text"]} for q in value]}]


@dataclass(frozen=True)
class PickTop(Item):
    """Up to `limit` of the questions the patient chose, by their ids: the ones to ask first."""

    limit: int = 3
    # The suggested questions that can be picked, as (item id, question), and
    # the id of the patient's own questions: set when the definition is applied.
    among: tuple[tuple[str, str], ...] = ()
    own: str = ""

    kind = "pick_top"

    def make_field(self):
        return SelectMultipleField(self.label, description=self.hint, validate_choice=False,
                                   validators=[self._at_most])

    def _at_most(self, form, field):
        offered = {c.value for c in field.choices}
        field.data = [key for key in field.data or [] if key in offered]
        if len(field.data) > self.limit:
            raise ValidationError(gettext("Choose up to %(limit)s questions", limit=self.limit))

    def prepare(self, form, answers: dict) -> None:
        form[self.id].choices = [SelectChoice(key, text) for key, text in self.candidates(answers)]

    def candidates(self, answers: dict) -> list[tuple[str, str]]:
        """(id, question) for every question the patient wants to ask: suggested ones, then their own."""
        picked = [(item_id, text) for item_id, text in self.among if answers.get(item_id) is not None]
        return picked + [(q["id"], q["text"]) for q in answers.get(self.own) or [] if q.get("id")]

    def stored(self, form):
        return list(form[self.id].data or [])

    def reconcile(self, answers: dict) -> None:
        if self.id in answers:
            still = {key for key, _ in self.candidates(answers)}
            answers[self.id] = [key for key in answers[self.id] if key in still]

    def lines(self, value, answers: dict) -> list[str]:
        chosen = dict(self.candidates(answers))
        return [chosen[key] for key in value or [] if key in chosen]

    def example(self, rng, answers: dict):
        keys = [key for key, _ in self.candidates(answers)]
        return rng.sample(keys, min(self.limit, len(keys)))

    def form_data(self, value) -> dict:
        return {self.id: list(value or [])}

    def fhir_items(self, coding: Callable) -> list[dict]:
        # The top questions may be the patient's own, which no answer list can name in advance.
        return [self._fhir_item("string", repeats=True)]

    def fhir_answers(self, value, answers: dict, coding: Callable) -> list[dict]:
        texts = self.lines(value, answers)
        if not texts:
            return []
        return [{"linkId": self.id, "text": str(self.heading), "answer": [{"valueString": t} for t in texts]}]


@dataclass(frozen=True)
class Computed(Item):
    """Worked out from other answers, never typed: the SURE score."""

    compute: Callable[[dict], int | None] = field(default=lambda answers: None, compare=False)
    words: str = "{}"

    kind = "computed"
    fhir_type = "integer"

    def fields(self) -> dict:
        return {}

    def load(self, form, value) -> None:
        pass

    def stored(self, form):
        return None

    def value(self, answers: dict):
        return self.compute(answers)

    def example(self, rng, answers: dict):
        return None

    def form_data(self, value) -> dict:
        return {}

    def lines(self, value, answers: dict) -> list[str]:
        score = self.compute(answers)
        return [str(self.words).format(score)] if score is not None else []

    def cell(self, value, answers: dict) -> str:
        score = self.compute(answers)
        return "" if score is None else str(score)  # a number a spreadsheet can sort and add up

    def fhir_items(self, coding: Callable) -> list[dict]:
        return [self._fhir_item("integer", readOnly=True)]

    def fhir_answers(self, value, answers: dict, coding: Callable) -> list[dict]:
        score = self.compute(answers)
        if score is None:
            return []
        return [{"linkId": self.id, "text": str(self.heading), "answer": [{"valueInteger": score}]}]
