"""The answers a patient can choose from, each worded once for every place it is shown.

A choice has the value we store, the words on the page (the patient's own
voice: "I'm not sure yet"), the words in summaries a clinician reads ("Not
sure yet") and its FHIR coding. Pages, check answers, summaries, CSV and FHIR
all read them from here, so they cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..i18n import lazy_gettext as _l


@dataclass(frozen=True)
class Choice:
    value: str
    page: str
    summary: str = ""

    @property
    def words(self) -> str:
        """How a summary says it: its own summary words, or the page's."""
        return self.summary or self.page


@dataclass(frozen=True)
class ChoiceSet:
    """Choices that belong together; `system` names their FHIR CodeSystem."""

    system: str
    choices: tuple[Choice, ...]

    def get(self, value) -> Choice | None:
        return next((c for c in self.choices if c.value == value), None)

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(c.value for c in self.choices)


YES_NO = ChoiceSet("yes-no", (Choice("yes", _l("Yes")), Choice("no", _l("No"))))
COMPANION = ChoiceSet("companion", (
    Choice("yes", _l("Yes")), Choice("no", _l("No")), Choice("not-sure", _l("I'm not sure yet"), _l("Not sure yet")),
))
IMPORTANCE = ChoiceSet("importance", (
    Choice("not", _l("Not important")), Choice("quite", _l("Quite important")), Choice("very", _l("Very important")),
))
UNDERSTANDING = ChoiceSet("understanding", (
    Choice("understand", _l("I understand"), _l("Understood")),
    Choice("explain", _l("I'd like this explained"), _l("Explain this")),
))
LEANING = ChoiceSet("leaning", (
    Choice("have", _l("I'm leaning towards having it"), _l("Leaning towards having it")),
    Choice("not-have", _l("I'm leaning towards not having it"), _l("Leaning towards not having it")),
    Choice("not-sure", _l("I'm not sure yet"), _l("Not sure yet")),
))
DECISION_ROLE = ChoiceSet("decision-role", (
    Choice("myself", _l("I want to decide myself")),
    Choice("together", _l("I want to decide together with my clinician"), _l("Together with my clinician")),
    Choice("clinician", _l("I want my clinician to decide")),
))
# Following the NHS Accessible Information Standard: the support a clinic must book or prepare before the day.
INTERPRETER = ChoiceSet("interpreter", (
    Choice("no", _l("No"), _l("Not needed")),
    Choice("spoken", _l("Yes, for a spoken language"), _l("Spoken language")),
    Choice("bsl", _l("Yes, British Sign Language (BSL)"), _l("British Sign Language (BSL)")),
))
FORMATS = ChoiceSet("information-format", (
    Choice("large-print", _l("Large print")),
    Choice("easy-read", _l("Easy read")),
    Choice("braille", _l("Braille")),
    Choice("audio", _l("Audio, such as a recording"), _l("Audio")),
    Choice("email", _l("By email, for example to read with a screen reader"), _l("By email")),
))
