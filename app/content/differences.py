"""What changed between two versions of a procedure, in words, for the staff who publish it.

The questions a patient answers (suggested questions, what matters, consent
points) are items of the questionnaire, compared by questionnaire/changes.py
as patients are told of them. This compares everything else a patient reads:
each field reworded, each list entry added or removed, and each figure whose
counts, percentage or citation changed, since a changed number is the change
that matters most.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from ..templating import long_date, month_year
from . import EFFECTS, Outcome, Procedure, YearMonth
from .figures import stated

ADDED, REMOVED, REWORDED, CHANGED, FIGURE = "Added", "Removed", "Reworded", "Changed", "Figure changed"
TEXTS = (("title", "Title"), ("short_title", "Short title"), ("summary", "Summary"),
         ("evidence_status", "How good the evidence is"), ("not_having", "Not having the procedure"))
SOURCE = (("publisher", "publisher"), ("kind", "kind"), ("guidance_id", "guidance id"), ("title", "title"),
          ("published", "published"), ("updated", "updated"), ("url", "address"), ("document", "document"))
EFFECT_WORDS = {"benefit": "Benefit", "failure": "When it did not work", "harm": "Problem"}


@dataclass(frozen=True)
class Difference:
    what: str  # ADDED, REMOVED, REWORDED, CHANGED or FIGURE
    field: str  # where, in words: "Summary", "What happens, step 2", "Problem: had small skin burns"
    before: str = ""
    after: str = ""


def differences(old: Procedure, new: Procedure, old_source_sha256: str = "",
                new_source_sha256: str = "") -> list[Difference]:
    """Everything a patient reads that differs between two versions, but the questionnaire's items, in page order."""
    found = [Difference(REWORDED, words, getattr(old, field), getattr(new, field))
             for field, words in TEXTS if getattr(old, field) != getattr(new, field)]
    if old.category != new.category:
        found.append(Difference(CHANGED, "NICE category", old.category, new.category))
    found += _entries("What happens, step", old.what_happens, new.what_happens, numbered=True)
    found += _outcomes(old.outcomes, new.outcomes)
    found += [Difference(REWORDED, f"Different groups: {EFFECT_WORDS[e].lower()}s", getattr(old.different_groups, e),
                         getattr(new.different_groups, e))
              for e in EFFECTS if getattr(old.different_groups, e) != getattr(new.different_groups, e)]
    found += _entries("Other possible problems", [p.text for p in old.other_problems],
                      [p.text for p in new.other_problems])
    found += _entries("What is not known", old.uncertainties, new.uncertainties)
    found += _named("Other options", old.alternatives, new.alternatives, lambda a: a.description)
    found += _named("Help and support", old.support_contacts, new.support_contacts,
                    lambda c: ", ".join(filter(None, (c.phone, c.description))))
    found += [Difference(CHANGED, f"Source: {words}", _shown(getattr(old.source, field)),
                         _shown(getattr(new.source, field)))
              for field, words in SOURCE if getattr(old.source, field) != getattr(new.source, field)]
    if old_source_sha256 and new_source_sha256 and old_source_sha256 != new_source_sha256:
        found.append(Difference(CHANGED, "Source: the document's text", f"SHA-256 {old_source_sha256[:12]}",
                                f"SHA-256 {new_source_sha256[:12]}"))
    if old.review_by != new.review_by:
        found.append(Difference(CHANGED, "Review by", _shown(old.review_by), _shown(new.review_by)))
    return found


def _shown(value) -> str:
    if value is None or value == "":
        return "Not given"
    if isinstance(value, YearMonth):
        return month_year(value)
    return long_date(value) if hasattr(value, "isoformat") else str(value)


def _entries(field: str, old: Sequence[str], new: Sequence[str], numbered: bool = False) -> list[Difference]:
    """Entries of a list added, removed or reworded, matched by where they stand among the unchanged ones."""
    found = []

    def where(i: int) -> str:
        return f"{field} {i + 1}" if numbered else field

    for tag, i1, i2, j1, j2 in SequenceMatcher(a=list(old), b=list(new), autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        paired = min(i2 - i1, j2 - j1) if tag == "replace" else 0
        found += [Difference(REWORDED, where(j1 + k), old[i1 + k], new[j1 + k]) for k in range(paired)]
        found += [Difference(REMOVED, where(i), old[i]) for i in range(i1 + paired, i2)]
        found += [Difference(ADDED, where(j), after=new[j]) for j in range(j1 + paired, j2)]
    return found


def _named(field: str, old: Sequence, new: Sequence, details: Callable) -> list[Difference]:
    """Entries known by their name: added, removed, or with other words beside the same name."""
    before, after = {e.name: e for e in old}, {e.name: e for e in new}
    found = []
    for name, entry in after.items():
        if name not in before:
            found.append(Difference(ADDED, f"{field}: {name}", after=details(entry)))
        elif details(before[name]) != details(entry):
            found.append(Difference(REWORDED, f"{field}: {name}", details(before[name]), details(entry)))
    found += [Difference(REMOVED, f"{field}: {name}", details(entry)) for name, entry in before.items()
              if name not in after]
    return found


def _figure(outcome: Outcome) -> str:
    return f"{stated(outcome.numerator, outcome.denominator, outcome.percent)}, {outcome.cite}"


def _outcomes(old: Sequence[Outcome], new: Sequence[Outcome]) -> list[Difference]:
    """Outcomes matched by their words, or else by their figure; then what differs in each pair."""
    pairs, unmatched = [], list(old)
    for keyed in (lambda o: o.label, lambda o: (o.numerator, o.denominator, o.cite)):
        for outcome in new:
            if any(outcome is n for _, n in pairs):
                continue
            match = next((o for o in unmatched if keyed(o) == keyed(outcome)), None)
            if match is not None:
                pairs.append((match, outcome))
                unmatched.remove(match)
    found = []
    for outcome in new:
        earlier = next((o for o, n in pairs if n is outcome), None)
        where = f"{EFFECT_WORDS[outcome.effect]}: {outcome.label}"
        if earlier is None:
            found.append(Difference(ADDED, where, after=_figure(outcome)))
            continue
        if _figure(earlier) != _figure(outcome):
            found.append(Difference(FIGURE, where, _figure(earlier), _figure(outcome)))
        if earlier.effect != outcome.effect:
            found.append(Difference(CHANGED, f"{where}: counted as", EFFECT_WORDS[earlier.effect],
                                    EFFECT_WORDS[outcome.effect]))
        found += [Difference(REWORDED, f"{where}: {words}", getattr(earlier, field), getattr(outcome, field))
                  for field, words in (("label", "what happened"), ("study", "who was counted"),
                                       ("caveat", "what limits it"))
                  if getattr(earlier, field) != getattr(outcome, field)]
    found += [Difference(REMOVED, f"{EFFECT_WORDS[o.effect]}: {o.label}", _figure(o)) for o in unmatched]
    return found
