"""The building blocks of a definition, and the questionnaire it becomes for one procedure.

A definition is written once, for every procedure: sections in order, each
of one or more pages, each page a list of parts. `Each` stands for one item
per entry of a procedure field (its questions, statements, consent points),
so applying the definition to a procedure version gives a `Questionnaire`
whose every item is concrete.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from ..i18n import english
from ..i18n import lazy_gettext as _l
from .items import Ask, Item, PickTop


@dataclass(frozen=True)
class Each:
    """One item for every entry of a procedure field, named together as `heading` in summaries and exports."""

    field: str
    make: Callable
    heading: str
    # Shown as one row listing the answered ones (the questions to ask), not a row each.
    one_row: bool = False


@dataclass(frozen=True)
class Block:
    """Something to read on a page, drawn by the template macro of this name (templates/components/blocks.html)."""

    name: str


@dataclass(frozen=True)
class Heading:
    text: str
    intro: str = ""
    source: str = ""  # where what follows comes from, printed small


@dataclass(frozen=True)
class Page:
    key: str
    path: str
    title: str
    parts: tuple
    intro: tuple[str, ...] = ()
    button: str = _l("Save and continue")
    # A page that always follows this one, even from check answers (choosing questions, then the top ones).
    then: str = ""
    # The page's one question is its heading (NHS pattern for a page that asks one thing).
    question_is_heading: bool = False
    # Shown only when another item has this answer: ("companion", "yes"). Until then the
    # router passes it by, and statuses, sending, summaries and exports leave it out.
    shown_when: tuple[str, str] | None = None


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    pages: tuple[Page, ...]
    optional: bool = False
    # Whose answers these are, when not the patient's: marked so everywhere they are shown.
    answered_by: str = ""


@dataclass(frozen=True)
class Glance:
    """Which items the at-a-glance summary is made of, by id; a definition without one leaves it out."""

    name: str = ""
    nhs_number: str = ""
    appointment: str = ""
    interpreter: str = ""
    language: str = ""
    companion: str = ""
    other_support: str = ""
    concerns: str = ""
    leaning: str = ""
    role: str = ""
    top_questions: str = ""
    sure: tuple[str, ...] = ()
    sure_score: str = ""
    to_explain: str = ""  # the Each heading whose "explain" answers need explaining
    explain_value: str = ""
    formats: str = ""
    own_questions: str = ""
    companion_questions: str = ""
    companion_worries: str = ""
    # (item id, value): the answer that asks for a large-print summary, which is then offered first.
    large_print: tuple[str, str] | tuple[()] = ()


@dataclass(frozen=True)
class Definition:
    sections: tuple[Section, ...]
    glance: Glance = Glance()


# What a definition becomes for one procedure version.


@dataclass(frozen=True)
class Group:
    """The items an Each made, with the heading they share."""

    heading: str
    items: tuple[Item, ...]
    one_row: bool = False


@dataclass(frozen=True)
class ResolvedPage:
    key: str
    path: str
    title: str
    parts: tuple  # Item | Group | Block | Heading
    intro: tuple[str, ...]
    button: str
    then: str
    question_is_heading: bool
    section: str
    shown_when: tuple[str, str] | None = None

    def applies(self, answers: dict) -> bool:
        """Whether the patient is asked this page, given their answers so far."""
        return self.shown_when is None or answers.get(self.shown_when[0]) == self.shown_when[1]

    @property
    def items(self) -> tuple[Item, ...]:
        return tuple(i for i in self.shown if isinstance(i, Item))

    @cached_property
    def shown(self) -> tuple:
        """What the page shows, in order: each group's items in its place, then blocks, headings and items."""
        return tuple(i for part in self.parts for i in (part.items if isinstance(part, Group) else (part,)))

    @property
    def endpoint(self) -> str:
        return f"patient.{self.key}"


@dataclass(frozen=True)
class ResolvedSection:
    key: str
    title: str
    pages: tuple[ResolvedPage, ...]
    optional: bool
    answered_by: str = ""

    @property
    def first_page(self) -> ResolvedPage:
        return self.pages[0]

    def applies(self, answers: dict) -> bool:
        """A section none of whose pages are asked is not on the task list."""
        return any(page.applies(answers) for page in self.pages)

    def pages_for(self, answers: dict) -> tuple[ResolvedPage, ...]:
        return tuple(page for page in self.pages if page.applies(answers))

    @property
    def items(self) -> tuple[Item, ...]:
        return tuple(i for page in self.pages for i in page.items)


@dataclass(frozen=True)
class Questionnaire:
    """The definition applied to one procedure version: every section, page and item, in order."""

    sections: tuple[ResolvedSection, ...]
    glance: Glance

    @cached_property
    def pages(self) -> tuple[ResolvedPage, ...]:
        return tuple(p for s in self.sections for p in s.pages)

    @cached_property
    def items(self) -> tuple[Item, ...]:
        return tuple(i for s in self.sections for i in s.items)

    @cached_property
    def _items_by_id(self) -> dict[str, Item]:
        return {i.id: i for i in self.items}

    @cached_property
    def _pages_by_key(self) -> dict[str, ResolvedPage]:
        return {p.key: p for p in self.pages}

    def item(self, item_id: str) -> Item | None:
        return self._items_by_id.get(item_id)

    def page(self, key: str) -> ResolvedPage | None:
        return self._pages_by_key.get(key)

    def page_of(self, item_id: str) -> ResolvedPage | None:
        return next((p for p in self.pages if any(i.id == item_id for i in p.items)), None)

    def section(self, key: str) -> ResolvedSection | None:
        return next((s for s in self.sections if s.key == key), None)

    def groups(self) -> list[Group]:
        return [part for page in self.pages for part in page.parts if isinstance(part, Group)]

    def reconcile(self, answers: dict) -> dict:
        """The answers with derived ones brought into line (a top question no longer chosen is dropped)."""
        answers = dict(answers)
        for item in self.items:
            item.reconcile(answers)
        return answers

    @cached_property
    def fingerprint(self) -> str:
        items = [{"id": i.id, "section": s.key, "section_title": s.title, "page": p.key, "heading": i.heading,
                  "wording": i.wording}
                 for s in self.sections for p in s.pages for i in p.items]
        # In English whatever language is showing: a version's wording is its English (translations are kept apart).
        return json.dumps(items, sort_keys=True, ensure_ascii=False, default=english)

    @cached_property
    def snapshot(self) -> list[dict]:
        """What each item says, in order: stored with a published version, so versions can be compared for ever.

        As JSON gives it back (lists, not tuples), so a stored snapshot and a fresh one compare equal.
        """
        return json.loads(self.fingerprint)


def resolve(definition: Definition, procedure) -> Questionnaire:
    """Apply the definition to one procedure: every Each becomes its items."""
    sections = tuple(
        ResolvedSection(section.key, section.title,
                        tuple(_page(page, section.key, procedure) for page in section.pages),
                        section.optional, section.answered_by)
        for section in definition.sections
    )
    questionnaire = Questionnaire(sections, definition.glance)
    return _link_top_questions(questionnaire)


def _page(page: Page, section: str, procedure) -> ResolvedPage:
    def on_page(item: Item) -> Item:
        # An item on a page asked only sometimes is asked only then: every output asks the item.
        return dataclasses.replace(item, page_shown_when=page.shown_when) if page.shown_when else item

    parts = tuple(
        Group(part.heading, tuple(on_page(part.make(entry)) for entry in getattr(procedure, part.field)), part.one_row)
        if isinstance(part, Each) else on_page(part) if isinstance(part, Item) else part
        for part in page.parts
    )
    return ResolvedPage(page.key, page.path, page.title, parts, page.intro, page.button, page.then,
                        page.question_is_heading, section, page.shown_when)


def _link_top_questions(questionnaire: Questionnaire) -> Questionnaire:
    """Tell each PickTop which suggested questions it can pick from (its `own` names the patient's own)."""
    asks = tuple((i.id, i.label) for i in questionnaire.items if isinstance(i, Ask))

    def linked(part):
        if isinstance(part, PickTop):
            return dataclasses.replace(part, among=asks)
        return part

    sections = tuple(
        dataclasses.replace(s, pages=tuple(dataclasses.replace(p, parts=tuple(linked(x) for x in p.parts))
                                           for p in s.pages))
        for s in questionnaire.sections
    )
    return Questionnaire(sections, questionnaire.glance)
