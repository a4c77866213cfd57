"""A WTForms class for each page, built from the page's items."""

from __future__ import annotations

from functools import cache

from wtforms import HiddenField, SubmitField

from ..forms import ServiceForm
from .items import OwnQuestions
from .structure import ResolvedPage


class PageForm(ServiceForm):
    """One journey page. It carries the answer set's version, to catch saves from a stale tab."""

    page: ResolvedPage
    version = HiddenField()

    def prepare(self, answers: dict) -> None:
        """Before reading anything: what the items need from the saved answers (choices, ids, the saved date)."""
        self.saved = answers
        for item in self.page.items:
            item.prepare(self, answers)

    def load(self, answers: dict) -> None:
        for item in self.page.items:
            if item.id in answers:
                item.load(self, answers[item.id])

    def answers(self) -> dict:
        return {item.id: item.stored(self) for item in self.page.items}

    @property
    def signing_out(self) -> bool:
        """The patient pressed "Save and sign out": saved, then the session ends (patient/leaving.py)."""
        return self._fields["sign_out"].data

    @property
    def adding_another(self) -> bool:
        """The patient pressed "Add another question" and there is room for one more."""
        add = self._fields.get("add_another")
        if add is None or not add.data:
            return False
        own = next(i for i in self.page.items if isinstance(i, OwnQuestions))
        return len(self[own.id].entries) < own.limit

    def add_another_box(self) -> None:
        own = next(i for i in self.page.items if isinstance(i, OwnQuestions))
        self[own.id].append_entry()


# Made once per page of each version: WTForms sorts out a new class's fields on
# its first use, which was a tenth of a page's time.
@cache
def page_form(page: ResolvedPage) -> type[PageForm]:
    fields = {name: field for item in page.items for name, field in item.fields().items()}
    fields["sign_out"] = SubmitField("Save and sign out")
    if any(isinstance(i, OwnQuestions) for i in page.items):
        fields["add_another"] = SubmitField("Add another question")
    return type(f"{page.key.title().replace('_', '')}Form", (PageForm,), {"page": page, **fields})
