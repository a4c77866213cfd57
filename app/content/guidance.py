"""NICE texts as NICE publishes them: guidance (IPG or HTG) and information for the public.

Both arrive as plain text with Markdown links, as NICE's site exports them.
Reading keeps the source's own words. The one change: a support contact's
description gets a capital and a full stop, so it can stand on its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from . import SupportContact, YearMonth

GUIDANCE_KINDS = ("Interventional procedures guidance", "HealthTech guidance")
PUBLIC_KIND = "Information for the public"
# Old guidance calls its first section "Guidance"; NICE's current exports say "Recommendations".
RECOMMENDATIONS = ("1 Recommendations", "1 Guidance")

# A Markdown link, [text](target): the text is kept, the target dropped.
LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
# "Published: 22 September 2004"
PUBLISHED = re.compile(r"^Published: (\d{1,2} [A-Z][a-z]+ \d{4})$")
# The address line: "www.nice.org.uk", or "www.nice.org.uk/guidance/htg55" whose last part is the id.
ADDRESS = re.compile(r"^(www\.nice\.org\.uk(?:/guidance/([a-z]+\d+))?(?:/\S*)?)$", re.IGNORECASE)
# A numbered line: "1 Recommendations", "2.3 Efficacy", "2.3.1 The evidence ..." or a bullet "- 1.1 Current ...".
NUMBERED = re.compile(r"^(- )?(\d+(?:\.\d+)*)\s+(\S.*)$")
# An entry under "Update information": "January 2026: Interventional procedures guidance 89 ..."
UPDATE_ENTRY = re.compile(r"^([A-Z][a-z]+ \d{4}):")
# "HTG55, section 2.3.1" (the comma and the case are forgiven).
CITATION = re.compile(r"^\s*([A-Za-z]+\d+),?\s+section\s+(\d+(?:\.\d+)*)\s*$", re.IGNORECASE)
# Words after which a full stop does not end a sentence.
ABBREVIATIONS = ("e.g.", "i.e.", "et al.", "etc.", "approx.", "vs.", "Dr.", "Mr.", "Mrs.", "Ms.", "Fig.")
# Where a sentence may end: after . ? or ! and spaces, before a capital, a digit or a quote.
SENTENCE_END = re.compile(r"(?<=[.?!])\s+(?=[A-Z0-9\"'‘“])")
# A UK phone number as NICE writes one: 0800 652 7330, 020 7946 0000, 07700 900123, or 116 123.
PHONE = re.compile(r"(?<!\d)(?:0\d{2,4}(?: ?\d{3,4}){1,2}|116 ?\d{3})(?!\d)")
# A line in "Information and support" that offers support, when it gives no phone number.
OFFERS_SUPPORT = re.compile(r"\b(?:support|advice)\b", re.IGNORECASE)


class GuidanceError(ValueError):
    """The text is not a NICE document this module can read; the message says why."""


class CitationError(ValueError):
    """A citation names no paragraph of the guidance; the message says why."""


@dataclass(frozen=True)
class Paragraph:
    number: str
    section: str
    text: str


@dataclass(frozen=True)
class Guidance:
    title: str
    kind: str
    guidance_id: str
    published: date
    updated: YearMonth | None
    recommendations: str
    paragraphs: tuple[Paragraph, ...]

    @property
    def url(self) -> str:
        return f"https://www.nice.org.uk/guidance/{self.guidance_id.lower()}"

    def paragraph(self, number: str) -> Paragraph | None:
        """The paragraph numbered so (2.3.1), or None."""
        return next((p for p in self.paragraphs if p.number == number), None)


@dataclass(frozen=True)
class PublicInformation:
    title: str
    kind: str
    guidance_id: str
    published: date
    updated: YearMonth | None
    url: str
    sentences: tuple[str, ...]
    questions: tuple[str, ...]
    support_contacts: tuple[SupportContact, ...]


def unlink(line: str) -> str:
    """The line with each Markdown link replaced by its text."""
    return LINK.sub(lambda m: m[1], line)


def sentences(text: str) -> list[str]:
    """The sentences of a text; each line (a bullet, say) ends one too."""
    found = []
    for line in text.splitlines():
        line = " ".join(unlink(line).removeprefix("- ").split())
        merged: list[str] = []
        for piece in SENTENCE_END.split(line) if line else []:
            if merged and merged[-1].endswith(ABBREVIATIONS):
                merged[-1] = f"{merged[-1]} {piece}"  # "e.g. Ultrasound" goes on
            else:
                merged.append(piece)
        found += merged
    return found


def is_public_information(text: str) -> bool:
    """Whether the text is NICE's information for the public (the line under its title says so)."""
    lines = _lines(text)
    return len(lines) > 1 and lines[1].lower() == PUBLIC_KIND.lower()


def read_guidance(text: str) -> Guidance:
    """Interventional procedures or HealthTech guidance, read as NICE publishes it."""
    lines = [unlink(line) for line in _lines(text)]
    title, kind = _title_and_kind(lines, GUIDANCE_KINDS)
    start = next((i for i, line in enumerate(lines) if line in RECOMMENDATIONS), None)
    if start is None:
        raise GuidanceError("it has no '1 Recommendations' section")
    front, body = lines[:start], lines[start:]
    address = _address(front)
    if not address or not address[2]:
        raise GuidanceError("it has no 'www.nice.org.uk/guidance/...' line to give the guidance id")
    paragraphs, recommendations = _paragraphs(body)
    return Guidance(
        title=title,
        kind=kind,
        guidance_id=address[2].upper(),
        published=_published(front),
        updated=_updated(body),
        recommendations=recommendations,
        paragraphs=paragraphs,
    )


def read_public_information(text: str) -> PublicInformation:
    """NICE's information for the public: its sentences, questions to think about and support."""
    lines = _lines(text)
    title, kind = _title_and_kind(lines, (PUBLIC_KIND,))
    sections = _public_sections(lines[2:])
    prose = [line for name, body in sections.items() if name != "questions" for line in body]
    address = _address(lines)
    return PublicInformation(
        title=title,
        kind=kind,
        guidance_id=(address[2] or "").upper() if address else "",
        published=_published(lines),
        updated=_updated([unlink(line) for line in lines]),
        url=f"https://{address[1]}" if address else "",
        sentences=tuple(s for line in prose for s in sentences(line)),
        questions=tuple(unlink(line[2:]).strip() for line in sections.get("questions", []) if line.startswith("- ")),
        support_contacts=tuple(filter(None, map(_contact, sections.get("support", [])))),
    )


def cited_paragraph(guidance: Guidance, citation: str) -> Paragraph:
    """The paragraph a citation such as 'HTG55, section 2.3.1' names; CitationError if none."""
    citation = citation or ""
    match = CITATION.match(citation)
    if not match:
        raise CitationError(f"'{citation}' is not a citation like '{guidance.guidance_id}, section 2.3.1'")
    cited_id, number = match[1].upper(), match[2]
    if cited_id != guidance.guidance_id:
        raise CitationError(f"{citation} cites {cited_id}, but the guidance is {guidance.guidance_id}")
    paragraph = guidance.paragraph(number)
    if paragraph is None:
        raise CitationError(f"{guidance.guidance_id} has no section {number}")
    return paragraph


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _title_and_kind(lines: list[str], kinds: tuple[str, ...]) -> tuple[str, str]:
    if len(lines) < 2:
        raise GuidanceError("it is empty, or has only a title")
    title, kind = unlink(lines[0]).removeprefix("# ").strip(), lines[1]
    known = {k.lower(): k for k in kinds}
    if kind.lower() not in known:
        expected = " or ".join(f"'{k}'" for k in kinds)
        raise GuidanceError(f"the line under the title should say {expected}, but it says '{kind[:80]}'")
    return title, known[kind.lower()]


def _published(lines: list[str]) -> date:
    for line in lines:
        match = PUBLISHED.match(line)
        if match:
            try:
                return datetime.strptime(match[1], "%d %B %Y").date()
            except ValueError:
                raise GuidanceError(
                    f"'{line}' is not a date NICE writes, like 'Published: 22 September 2004'") from None
    raise GuidanceError("it has no 'Published: 22 September 2004' line")


def _address(lines: list[str]) -> re.Match | None:
    return next(filter(None, (ADDRESS.match(unlink(line)) for line in lines)), None)


def _updated(lines: list[str]) -> YearMonth | None:
    """The month and year of the latest entry under 'Update information', or None."""
    headings = [i for i, line in enumerate(lines) if line.lstrip("# ") == "Update information"]
    if not headings:
        return None
    entries = []
    for line in lines[headings[-1] + 1:]:
        match = UPDATE_ENTRY.match(line)
        if match:
            try:
                entries.append((datetime.strptime(match[1], "%B %Y"), match[1]))
            except ValueError:
                continue  # "Note 2024:" and the like name no month
    if not entries:
        return None
    latest = max(entries)[0]
    return YearMonth(latest.year, latest.month)


def _is_heading(text: str) -> bool:
    # Headings are short, start with a capital and end without punctuation: "Efficacy", "2 The procedure".
    return text[:1].isupper() and text[-1] not in ".?!:;," and len(text.split()) <= 12


def _parts(line: str) -> tuple[bool, str, str]:
    """Whether a line is a bullet, its paragraph or heading number ('' if none), and its text."""
    numbered = NUMBERED.match(line)
    if numbered:
        return bool(numbered[1]), numbered[2], numbered[3]
    return line.startswith("- "), "", line


def _paragraphs(body: list[str]) -> tuple[tuple[Paragraph, ...], str]:
    """Every numbered paragraph with its section's heading, and the recommendations' text."""
    paragraphs: list[list[str]] = []  # [number, section, line, line ...] while being read
    recommendations: list[str] = []
    section, in_paragraph, in_recommendations = "", False, True
    for line in body:
        bullet, number, text = _parts(line)
        if not bullet and _is_heading(text):
            section, in_paragraph = text, False
            # The next top-level section ("2 The procedure") ends the recommendations.
            in_recommendations = in_recommendations and not (number.isdigit() and line not in RECOMMENDATIONS)
            continue
        if "." in number:
            paragraphs.append([number, section, text])
            in_paragraph = True
        elif in_paragraph:
            paragraphs[-1].append(line)  # a bullet or line that goes on the paragraph above
        if in_recommendations:
            recommendations.append(text.removeprefix("- "))
    found = tuple(Paragraph(number=p[0], section=p[1], text="\n".join(p[2:])) for p in paragraphs)
    return found, "\n".join(recommendations)


def _public_sections(lines: list[str]) -> dict[str, list[str]]:
    """The lines of information for the public, by section: 'questions', 'support' and the rest."""
    sections: dict[str, list[str]] = {"about": []}
    name = "about"
    for line in lines:
        if line.startswith("#"):
            heading = line.lstrip("# ").lower()
            name = {"some questions to think about": "questions",
                    "information and support": "support"}.get(heading, heading)
            sections.setdefault(name, [])
        elif not (PUBLISHED.match(line) or ADDRESS.match(unlink(line)) or line.startswith("ISBN")):
            sections[name].append(line)
    return sections


def _contact(line: str) -> SupportContact | None:
    """A support contact from one line of 'Information and support', or None for other links."""
    line = line.removeprefix("- ")
    link = LINK.search(line)
    text = " ".join(unlink(line).split())
    phone = PHONE.search(text)
    if not link or not (phone or OFFERS_SUPPORT.search(text)):
        return None
    name = " ".join(link[1].split())
    if link.start() == 0:
        # "[British Liver Trust](#), 0800 652 7330 can give you advice and support": the rest is what they do.
        rest = text[len(name):].replace(phone[0], "", 1) if phone else text[len(name):]
        description = _as_sentence(rest.strip(" ,;:-–"))
    else:
        # "You can also get support from your local [Healthwatch](#).": the whole line says it.
        description = _as_sentence(text)
    return SupportContact(name=name, description=description, phone=phone[0] if phone else "")


def _as_sentence(text: str) -> str:
    """The source's words with a capital first and a full stop last, to stand alone."""
    text = " ".join(text.split())
    if not text:
        return ""
    return text[0].upper() + text[1:] + ("" if text[-1] in ".?!" else ".")
