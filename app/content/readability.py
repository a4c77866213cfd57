"""Plain English as a rule: the reading grade every text a patient reads must meet.

The bar is in the README ("Accessibility"): Flesch-Kincaid grade 6 (reading
age about 11) for each whole text, and no single sentence above grade 9. The
content check and the tests both ask these rules, so they never disagree.
"""

from __future__ import annotations

import dataclasses
import re

import textstat

from ..i18n import english

TEXT_BAR = 6.0
SENTENCE_BAR = 9.0
# Flesch-Kincaid is noise on short strings: "Having fewer hospital
# appointments afterwards" scores 17. Shorter sentences count only in their text.
MIN_WORDS = 8
# Words a patient will hear from their team, always explained in plain words
# beside them. Scored as one short word, so naming a thing is not punished.
TERMS = ("interstitial", "ablation", "radiofrequency", "cryotherapy", "radiotherapy", "mastectomy",
         "lumpectomy", "ultrasound", "Healthwatch")


def plain(line: str) -> str:
    """A line as it is scored, in English: runs of spaces as one, each term as 'term', ending in a full stop.

    Only English is scored: no reading-age formula for Welsh is trusted.
    """
    line = " ".join(english(line).split())
    for term in TERMS:
        line = re.sub(term, "term", line, flags=re.IGNORECASE)
    return line if line[-1] in ".?!:" else line + "."


def sentences(lines: list[str]) -> list[str]:
    """The sentences long enough to be scored on their own."""
    return [s for line in lines for s in re.split(r"(?<=[.?!])\s+", line) if len(s.split()) >= MIN_WORDS]


def problems(name: str, lines: list[str]) -> list[str]:
    """What is above the bar in one text, worst sentences first; empty when it reads plainly."""
    # Each line once: a page's repeated answer options ("Very important") are read once.
    lines = list(dict.fromkeys(plain(line) for line in lines if str(line).strip()))
    found = []
    whole = textstat.flesch_kincaid_grade(" ".join(lines))
    scored = sorted(((textstat.flesch_kincaid_grade(s), s) for s in sentences(lines)), reverse=True)
    if whole > TEXT_BAR:
        worst = "; ".join(f"{grade:.1f} {s!r}" for grade, s in scored[:5])
        found.append(f"{name}: grade {whole:.1f} is above {TEXT_BAR}. Hardest sentences: {worst}")
    found += [f"{name}: sentence at grade {grade:.1f}: {s!r}" for grade, s in scored if grade > SENTENCE_BAR]
    return found


# Content fields that are not prose: identifiers, numbers, dates and citations.
NOT_PROSE = {"id", "slug", "kind", "effect", "version", "file_name", "phone", "category", "review_by", "source",
             "cite", "standard_questions"}


def fields(value, path: str = "") -> list[tuple[str, str]]:
    """Every patient-facing string in a content object, with its field as a file names it ('outcomes[2].label')."""
    if isinstance(value, str):
        return [(path, value)] if value.strip() else []
    if isinstance(value, tuple):
        return [found for i, item in enumerate(value) for found in fields(item, f"{path}[{i}]")]
    if dataclasses.is_dataclass(value):
        return [found for f in dataclasses.fields(value) if f.name not in NOT_PROSE
                for found in fields(getattr(value, f.name), f"{path}.{f.name}" if path else f.name)]
    return []


def prose(value) -> list[str]:
    """Every patient-facing string in a content object, walked field by field."""
    return [text for _, text in fields(value)]


def field_problems(file_name: str, texts: list[tuple[str, str]]) -> list[str]:
    """What is above the bar in a content file, field by field, as 'file: field: what to do'.

    The rules are those for a page: a field long enough to be scored on its
    own (MIN_WORDS or more) must be at TEXT_BAR or below, no sentence may be
    above SENTENCE_BAR, and shorter fields count in the whole file's text.
    """
    found, graded = [], []
    for field, text in texts:
        line = plain(text)
        grade = textstat.flesch_kincaid_grade(line)
        graded.append((grade, field))
        if len(line.split()) >= MIN_WORDS and grade > TEXT_BAR:
            found.append(f"{file_name}: {field}: reads at grade {grade:.1f}, above {TEXT_BAR:g}. "
                         "Use shorter sentences and everyday words")
        found += [f"{file_name}: {field}: the sentence {sentence!r} reads at grade {grade:.1f}, above "
                  f"{SENTENCE_BAR:g}. Split it, or use shorter words" for sentence in sentences([line])
                  if (grade := textstat.flesch_kincaid_grade(sentence)) > SENTENCE_BAR]
    whole = textstat.flesch_kincaid_grade(" ".join(dict.fromkeys(plain(text) for _, text in texts)))
    if whole > TEXT_BAR:
        hardest = ", ".join(field for _, field in sorted(graded, reverse=True)[:3])
        found.append(f"{file_name}: (all fields together): read at grade {whole:.1f}, above {TEXT_BAR:g}. "
                     f"Make the hardest plainer first: {hardest}")
    return found
