"""The answers a patient can choose from, each worded once for every place it is shown.

A choice has the value we store, the words on the page (the patient's own
voice: "I'm not sure yet"), the words in summaries a clinician reads ("Not
sure yet") and its FHIR coding. Pages, check answers, summaries, CSV and FHIR
all read them from here, so they cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass


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


YES_NO = ChoiceSet("yes-no", (Choice("yes", "Yes"), Choice("no", "No")))
COMPANION = ChoiceSet("companion", (
    Choice("yes", "Yes"), Choice("no", "No"), Choice("not-sure", "I'm not sure yet", "Not sure yet"),
))
IMPORTANCE = ChoiceSet("importance", (
    Choice("not", "Not important"), Choice("quite", "Quite important"), Choice("very", "Very important"),
))
UNDERSTANDING = ChoiceSet("understanding", (
    Choice("understand", "I understand", "Understood"), Choice("explain", "I'd like this explained", "Explain this"),
))
LEANING = ChoiceSet("leaning", (
    Choice("have", "I'm leaning towards having it", "Leaning towards having it"),
    Choice("not-have", "I'm leaning towards not having it", "Leaning towards not having it"),
    Choice("not-sure", "I'm not sure yet", "Not sure yet"),
))
DECISION_ROLE = ChoiceSet("decision-role", (
    Choice("myself", "I want to decide myself"),
    Choice("together", "I want to decide together with my clinician", "Together with my clinician"),
    Choice("clinician", "I want my clinician to decide"),
))
# Following the NHS Accessible Information Standard: the support a clinic must book or prepare before the day.
INTERPRETER = ChoiceSet("interpreter", (
    Choice("no", "No", "Not needed"),
    Choice("spoken", "Yes, for a spoken language", "Spoken language"),
    Choice("bsl", "Yes, British Sign Language (BSL)", "British Sign Language (BSL)"),
))
FORMATS = ChoiceSet("information-format", (
    Choice("large-print", "Large print"),
    Choice("easy-read", "Easy read"),
    Choice("braille", "Braille"),
    Choice("audio", "Audio, such as a recording", "Audio"),
    Choice("email", "By email, for example to read with a screen reader", "By email"),
))
