"""Outcome figures in NICE's sentences: counts with a numerator and a denominator.

A figure is taken only when the source states both numbers, so a page never
shows a denominator nobody wrote. What looks like a count but is not one (a
blood pressure, a date, a number of studies) is left alone.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from .guidance import CitationError, Guidance, cited_paragraph, sentences

# A whole number as NICE writes one: 44, or 1,234 with thousands commas.
NUMBER = r"\d{1,3}(?:,\d{3})+|\d+"
# A count: "43 out of 44", "9 of 12", "4 of the 44" or "3/90". Neither end may touch a
# letter, digit, dot, slash, comma or hyphen, so a date (12/05/2024), a decimal (2.5/10)
# and a ratio inside a word (A1/2B, COVID-19/20) are not counts.
COUNT = re.compile(
    rf"(?<![\w./,-])(?P<numerator>{NUMBER})"
    rf"(?:\s+out\s+of\s+|\s+of\s+(?:the\s+)?|/)"
    rf"(?P<denominator>{NUMBER})(?![\w/]|[.,]\d)"
)
# A percentage just before a count: "98% (43 out of 44)", "11% [4/35]" or "(98%, 43/44)".
PERCENT_BEFORE = re.compile(r"(\d+(?:\.\d+)?)%\s*[(\[]\s*$|[(\[]\s*(\d+(?:\.\d+)?)%\s*[,;]\s*$")
# A percentage just after one, up to two words on: "43 out of 44 (98%)", "9 of 12 patients (75%)",
# or "(43/44, 98%)".
PERCENT_AFTER = re.compile(
    r"^(?:\s+[a-z]+){0,2}\s*[(\[]\s*(\d+(?:\.\d+)?)%\s*[)\],;]"
    r"|^\s*[,;]\s*(\d+(?:\.\d+)?)%\s*[)\]]"
)
# A unit after the count makes it a measurement: 140/90 mmHg, 5/10 mg, 3/4 ml.
UNIT = re.compile(
    r"^\s*(?:mm\s?Hg|cmH2O|mmol|µmol|nmol|mol|mm|cm|km|m|mg|mcg|µg|kg|g|ml|mL|dl|dL|l|L|IU|"
    r"Hz|kHz|MHz|W|J|kJ|Gy|bpm|s|sec|min|h|hr|hrs|°C|%)(?!\w)"
)
# Studies counted, not people: "2 of 3 studies", "1 of 4 small case series", "3/5 centres".
STUDIES = re.compile(
    r"^\s+(?:[a-z-]+\s+)?(?:stud(?:y|ies)|trials?|RCTs?|(?:case\s+)?series|(?:case\s+)?reports?|reviews?|"
    r"meta-analys[ei]s|cohorts?|centres?)\b"
)
# A word that makes the number after it a reading on a scale or a class, not a count.
SCALE_WORD = r"\b(?:grades?|stages?|types?|phases?|class(?:es)?|levels?|scores?|scored|scales?|VAS|NRS)\b"
# Straight after such a word: "grade 1/2", "stage 3/4", "a score of 7 out of 10".
AFTER_SCALE = re.compile(SCALE_WORD + r"(?:\s+of)?\s*$", re.IGNORECASE)
# A slash anywhere after one in the same clause: "the pain score of 7/10 fell to 5/10".
SCALE_IN_CLAUSE = re.compile(SCALE_WORD, re.IGNORECASE)
# Two years, as in 2019/2020, are a period of time.
YEAR = range(1900, 2101)


@dataclass(frozen=True)
class Figure:
    numerator: int
    denominator: int
    percent: int | float | None
    sentence: str


def find_figures(sentence: str) -> list[Figure]:
    """Every outcome count in a sentence that states both its numerator and its denominator."""
    found = []
    for match in COUNT.finditer(sentence):
        before, after = sentence[:match.start()], sentence[match.end():]
        numerator, denominator = (int(match[name].replace(",", "")) for name in ("numerator", "denominator"))
        if denominator == 0 or numerator > denominator:
            continue  # 24/7 and 140/90 have more above the line than below: not a count
        if numerator in YEAR and denominator in YEAR and "/" in match[0]:
            continue
        if UNIT.match(after) or STUDIES.match(after) or _on_a_scale(before, match[0]):
            continue
        found.append(Figure(numerator, denominator, _percent(before, after), " ".join(sentence.split())))
    return found


def _on_a_scale(before: str, count: str) -> bool:
    # The clause is the text since the last comma, colon, semicolon or bracket.
    clause = re.split(r"[,;:()]", before)[-1]
    return bool(AFTER_SCALE.search(before) or ("/" in count and SCALE_IN_CLAUSE.search(clause)))


def _percent(before: str, after: str) -> int | float | None:
    """The percentage the source gives beside a count, as it writes it (98, or 2.5), or None."""
    match = PERCENT_BEFORE.search(before) or PERCENT_AFTER.match(after)
    if not match:
        return None
    written = match[1] or match[2]
    return float(written) if "." in written else int(written)


def stated(numerator: int, denominator: int, percent: float | None = None) -> str:
    """A figure as NICE writes it: '98% (43 out of 44)', or '43 out of 44' with no percentage."""
    count = f"{numerator} out of {denominator}"
    return count if percent is None else f"{percent:g}% ({count})"


def trace(outcome, guidance: Guidance) -> str | None:
    """None if the paragraph an outcome cites states its figure; otherwise what is wrong, in plain words."""
    numerator, denominator, percent, cite = (_field(outcome, f)
                                             for f in ("numerator", "denominator", "percent", "cite"))
    try:
        paragraph = cited_paragraph(guidance, cite)
    except CitationError as problem:
        return str(problem)
    for sentence in sentences(paragraph.text):
        for figure in find_figures(sentence):
            if (figure.numerator, figure.denominator) == (numerator, denominator) and percent in (None, figure.percent):
                return None
    return f"{cite} does not state {stated(numerator, denominator, percent)}"


def _field(outcome, name: str):
    # An outcome may be a table read from a content file or a loaded Outcome.
    return outcome.get(name) if isinstance(outcome, Mapping) else getattr(outcome, name, None)
