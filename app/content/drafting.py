"""A first draft of a procedure file from NICE's own text, for an editor to finish.

The draft copies only facts: the source's dates and ids, the category NICE's
wording names, every figure with its citation, and the questions and support
contacts the public text gives. Every field a patient reads in our words is a
"TODO: ..." saying what to write and which paragraph to read, so nothing
reaches a patient that a person has not written from the source.
"""

from __future__ import annotations

import json
import re
import textwrap
import tomllib
from datetime import date

from . import CATEGORIES, REVIEW_WITHIN_YEARS
from .figures import Figure, find_figures
from .guidance import (
    Guidance,
    GuidanceError,
    Paragraph,
    PublicInformation,
    read_guidance,
    read_public_information,
    sentences,
)

# The word an unfinished field carries, anywhere in its text.
TODO = re.compile(r"\bTODO\b")

# NICE's published wording for each category in guidance recommendations.
# Commas vary between pieces of guidance, so each pattern lets them be left out.
GUIDANCE_WORDING = {
    "standard": (
        # "provided that standard arrangements are in place for ..."; guidance before 2010 says "normal".
        r"(?:standard|normal) arrangements (?:are in place )?for clinical governance,? consent,? and audit",
    ),
    "special arrangements": (
        r"special arrangements for clinical governance,? consent,? and audit or research",
        r"special arrangements for consent and for audit or research",  # guidance before 2007
    ),
    # "only in the context of research", "should only be used in the context of research",
    # "only within good-quality research studies", "only be used in research".
    "research only": (r"only (?:be (?:used|done) )?(?:in|within) (?:the context of )?(?:good-quality )?research",),
    "do not use": (r"should not be used",),
}
# The same four as information for the public words them.
PUBLIC_WORDING = {
    "standard": (r"can be (?:done|used) with standard arrangements", r"safe enough and works well enough"),
    "special arrangements": (r"(?:can|should) only be (?:done|used) with special arrangements",),
    "research only": (r"(?:can|should) only be (?:done|used) (?:as part of|in) (?:a )?research",),
    "do not use": (r"should not be (?:done|used)",),
}
# The paragraphs to read for a field, by words in their sections' headings.
OUTLINE = ("outline", "procedure", "description")
EVIDENCE = ("efficacy", "safety", "evidence")
TREATMENTS = ("indications", "treatments", "condition")
SHORT_ID = "a short id of lower-case words joined by hyphens"

Source = Guidance | PublicInformation


def draft(
    guidance_text: str | None,
    public_text: str | None = None,
    document: str = "",
    public_document: str = "",
) -> str:
    """A draft procedure file (TOML) from NICE's guidance, its information for the public, or both."""
    guidance = _read(read_guidance, guidance_text, document or "the guidance")
    public = _read(read_public_information, public_text, public_document or "the information for the public")
    if guidance is None and public is None:
        raise GuidanceError("give the guidance, the information for the public, or both")
    source = guidance or public
    blocks = [
        _header(source),
        _top_fields(guidance, source),
        _category_lines(guidance, public),
        _plain_fields(guidance),
        _source_table(source, document if guidance else public_document),
        _different_groups(guidance),
        *_outcome_tables(guidance),
        _alternatives(guidance),
        *_question_tables(public, public_document),
        _consent_points(guidance),
        *_support_tables(public),
        _what_matters(),
    ]
    return "\n\n".join("\n".join(block) for block in blocks if block) + "\n"


def todos(text: str) -> list[str]:
    """The fields of a content file still marked TODO, named like 'outcomes[0].label'."""
    return list(_todo_fields(tomllib.loads(text), ""))


def slugify(text: str) -> str:
    """Lower-case words joined by hyphens: 'Image-guided laser ablation' gives 'image-guided-laser-ablation'."""
    # An apostrophe joins its word ("NICE's" is "nices"); anything else that is not a letter or digit splits words.
    return "-".join(re.findall(r"[a-z0-9]+", re.sub(r"['’]", "", text.lower())))


def read_category(texts: list[str], wording: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """Each category whose NICE wording the sentences use, with the first sentence that uses it."""
    found = {}
    for category, patterns in wording.items():
        sentence = next((s for s in texts if any(re.search(p, s, re.IGNORECASE) for p in patterns)), None)
        if sentence:
            found[category] = sentence
    return found


def _read(reader, text: str | None, name: str):
    if text is None:
        return None
    try:
        return reader(text)
    except GuidanceError as problem:
        raise GuidanceError(f"{name}: {problem}") from None


def _header(source: Source) -> list[str]:
    named = f"{source.kind} {source.guidance_id}".strip()
    return _comment(
        f'A draft from NICE {named}, "{source.title}". Each "TODO: ..." is for an editor: write it in '
        "plain English (reading age 9 to 11) from the paragraph it names. Copy every number exactly and "
        "never add a clinical fact the source does not state. The file is not finished while any TODO is left."
    )


def _top_fields(guidance: Guidance | None, source: Source) -> list[str]:
    slug = slugify(source.title)
    return [
        *_comment(f"The file must be named after its slug, {slug}.toml; shorten both together if you like."),
        f"slug = {_toml(slug)}",
        _todo("title", "the name patients know it by, in plain English", f"NICE's title is '{source.title}'."),
        _todo("short_title", "a short name of a few words, for headings and lists", ""),
        _todo("summary", "2 or 3 short sentences: what the procedure is and what it aims to do",
              _where(guidance, *OUTLINE)),
        _todo("review_by", "the date to check this file against NICE again, as YYYY-MM-DD with no quotes, "
                           f"no more than {REVIEW_WITHIN_YEARS} years from now", ""),
    ]


def _category_lines(guidance: Guidance | None, public: PublicInformation | None) -> list[str]:
    """The category NICE's wording names, after the sentence that names it; a TODO if none or several."""
    if guidance is not None:
        where, found = "the recommendations", read_category(sentences(guidance.recommendations), GUIDANCE_WORDING)
    else:
        where, found = "the information for the public", read_category(list(public.sentences), PUBLIC_WORDING)
    lines = [line for category, said in found.items()
             for line in _comment(f'NICE\'s wording for {category}, in {where}: "{said}"')]
    if len(found) == 1:
        lines.append(f"category = {_toml(next(iter(found)))}")
    else:
        choices = ", ".join(f"'{c}'" for c in CATEGORIES)
        reason = (f"NICE's wording for {' and for '.join(found)} is in {where}, so choose" if found
                  else f"none of NICE's wording for them is in {where}")
        lines.append(_todo("category", f"one of {choices}; {reason}", _where(guidance, "recommendations")))
    # What a category means is worded once for every procedure (content/categories.py), not per file.
    return lines


def _plain_fields(guidance: Guidance | None) -> list[str]:
    outline, evidence = _where(guidance, *OUTLINE), _where(guidance, *EVIDENCE)
    return [
        f"what_happens = [{_toml(_todo_text('the steps of the procedure, one short sentence each', outline))}]",
        _todo("evidence_status", "how much evidence there is and how sure it is", evidence),
        f"uncertainties = [{_toml(_todo_text('what is not known yet, one item each', evidence))}]",
        _todo("not_having", "that the patient can say no, and what happens if they do", _where(guidance, *TREATMENTS)),
    ]


def _source_table(source: Source, document: str) -> list[str]:
    named = _toml(document) if document else _toml(_todo_text("the source's file name in ../shared/sources/", ""))
    return [
        "[source]",
        'publisher = "NICE"',
        f"kind = {_toml(source.kind)}",
        f"guidance_id = {_toml(source.guidance_id)}",
        f"title = {_toml(source.title)}",
        f"published = {_toml(source.published)}",
        f"updated = {_toml(str(source.updated or ''))}",
        f"url = {_toml(source.url)}",
        f"document = {named}",
    ]


def _figures(guidance: Guidance) -> list[tuple[Paragraph, str, Figure]]:
    """Every figure in the efficacy and safety paragraphs, with its paragraph and its kind."""
    return [(paragraph, kind, figure) for paragraph in guidance.paragraphs
            if (kind := _outcome_kind(paragraph.section))
            for sentence in sentences(paragraph.text) for figure in find_figures(sentence)]


def _outcome_tables(guidance: Guidance | None) -> list[list[str]]:
    """An [[outcomes]] table for every figure in the efficacy and safety paragraphs."""
    if guidance is None:
        return [_comment("No [[outcomes]]: information for the public has no numbered paragraphs to cite.")]
    tables = [_outcome_table(guidance.guidance_id, paragraph, kind, figure)
              for paragraph, kind, figure in _figures(guidance)]
    return tables or [_comment("No [[outcomes]]: the efficacy and safety paragraphs give no count "
                               "with both a numerator and a denominator.")]


def _different_groups(guidance: Guidance | None) -> list[str]:
    """A TODO for each heading whose outcomes may be out of different numbers of people."""
    if guidance is None:
        return []
    denominators: dict[str, set[int]] = {}
    for _, kind, figure in _figures(guidance):
        denominators.setdefault(kind, set()).add(figure.denominator)
    differ = "say in plain words that they come from different groups of people"
    lines = []
    if len(denominators.get("safety", ())) > 1:
        lines.append(_todo("harm", f"the harms below are out of different numbers of people, so {differ}", ""))
    if len(denominators.get("efficacy", ())) > 1:
        # Which efficacy figures are benefits and which failures is the editor's to say (effect, below).
        lines += [_todo(effect, f"if the {effect}s below are out of different numbers of people, {differ}; "
                                'if they are all out of one number, write ""', "")
                  for effect in ("benefit", "failure")]
    return ["[different_groups]", *lines] if lines else []


def _outcome_kind(section: str) -> str | None:
    """'efficacy' or 'safety' from a section's heading; a TODO for a heading that says both."""
    kinds = [kind for kind in ("efficacy", "safety") if kind in section.lower()]
    if len(kinds) == 2:
        return _todo_text("'efficacy' or 'safety': the section is about both", "")
    return kinds[0] if kinds else None


def _outcome_table(guidance_id: str, paragraph: Paragraph, kind: str, figure: Figure) -> list[str]:
    cite = f"{guidance_id}, section {paragraph.number}"
    read = f"Read {cite}."
    # A harm is a harm; whether an efficacy count is the procedure working or failing takes a reader.
    effect = "harm" if kind == "safety" else _todo_text(
        "'benefit' if this counts people the procedure helped, 'failure' if it counts people it did not. "
        "A failure must never be shown as a benefit", read)
    percent = (f"percent = {_toml(figure.percent)}" if figure.percent is not None
               else "# The source gives no percentage.")
    return [
        *_comment(f'{paragraph.number} ({paragraph.section}): "{figure.sentence}"'),
        "[[outcomes]]",
        f"kind = {_toml(kind)}",
        f"effect = {_toml(effect)}",
        _todo("label", "what happened to the people counted, in plain words", read),
        f"numerator = {figure.numerator}",
        f"denominator = {figure.denominator}",
        percent,
        _todo("study", "who was counted, and in what kind of study", read),
        _todo("caveat", 'anything the source says that limits this figure, or "" if nothing', read),
        f"cite = {_toml(cite)}",
    ]


def _question_tables(public: PublicInformation | None, public_document: str) -> list[list[str]]:
    """NICE's own questions to think about, then a TODO for a question about this procedure."""
    tables: list[list[str]] = []
    ids: set[str] = set()
    for question in public.questions if public else ():
        qid = _unique(slugify(sentences(question)[0]), ids)
        tables.append(["[[questions]]", f"id = {_toml(qid)}", f"text = {_toml(question)}"])
    if tables:
        named = public_document or "the information for the public"
        tables[0][:0] = _comment(f'NICE\'s "Some questions to think about", copied from {named}. '
                                 "Delete any that standard-questions.toml already asks.")
    tables.append(_todo_table("questions", id=(SHORT_ID, ""),
                              text=("a question about this procedure that the standard questions do not ask", "")))
    return tables


def _unique(slug: str, taken: set[str]) -> str:
    """The slug, or the slug with the first free number after it; marked as taken."""
    candidate, n = slug, 1
    while candidate in taken:
        n += 1
        candidate = f"{slug}-{n}"
    taken.add(candidate)
    return candidate


def _support_tables(public: PublicInformation | None) -> list[list[str]]:
    if public is None:
        return [_comment("No [[support_contacts]]: add any that the information for the public gives.")]
    return [
        ["[[support_contacts]]",
         f"name = {_toml(contact.name)}",
         f"description = {_toml(contact.description or _todo_text('what they offer, in the words of the source', ''))}",
         f"phone = {_toml(contact.phone)}"]
        for contact in public.support_contacts
    ]


def _alternatives(guidance: Guidance | None) -> list[str]:
    return _todo_table("alternatives",
                       name=("another treatment the source names", _where(guidance, *TREATMENTS)),
                       description=("what it is in a sentence or two, or delete this table if the source names none",
                                    ""))


def _consent_points(guidance: Guidance | None) -> list[str]:
    return _todo_table("consent_points", id=(SHORT_ID, ""),
                       text=("a point to understand before deciding", _where(guidance, "recommendations", "safety")))


def _what_matters() -> list[str]:
    return _todo_table("what_matters", id=(SHORT_ID, ""),
                       text=("a statement a patient may rate for importance, like 'Avoiding surgery if I can'", ""))


def _todo_table(table: str, **fields: tuple[str, str]) -> list[str]:
    return [f"[[{table}]]", *(_todo(key, what, read) for key, (what, read) in fields.items())]


def _where(guidance: Guidance | None, *headings: str) -> str:
    """Which paragraphs to read for a field: those in sections whose heading has one of the words."""
    if guidance is None:
        return "Read the information for the public."
    numbers = [p.number for p in guidance.paragraphs if any(h in p.section.lower() for h in headings)]
    if not numbers:
        return f"Read {guidance.guidance_id}."
    if len(numbers) == 1:
        return f"Read {guidance.guidance_id}, section {numbers[0]}."
    return f"Read {guidance.guidance_id}, sections {', '.join(numbers[:-1])} and {numbers[-1]}."


def _todo_text(what: str, read: str) -> str:
    return f"TODO: {what}. {read}".strip()


def _todo(key: str, what: str, read: str) -> str:
    return f"{key} = {_toml(_todo_text(what, read))}"


def _toml(value: str | float | date) -> str:
    if isinstance(value, date):
        return value.isoformat()  # a TOML date: no quotes
    if isinstance(value, str):
        # JSON's string escapes are all TOML escapes too; DEL is the one control character JSON leaves raw.
        return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")
    return repr(value)


def _comment(text: str) -> list[str]:
    return textwrap.wrap(" ".join(text.split()), width=98, initial_indent="# ", subsequent_indent="# ",
                         break_long_words=False, break_on_hyphens=False)


def _todo_fields(value, path: str):
    if isinstance(value, str) and TODO.search(value):
        yield path
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _todo_fields(item, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _todo_fields(item, f"{path}[{i}]")
