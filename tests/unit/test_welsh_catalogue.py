"""The interface's Welsh catalogue: every message the code and templates mark is there, translated, numbers intact."""

from __future__ import annotations

import re
import subprocess
from functools import cache
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "app" / "translations" / "cy" / "LC_MESSAGES" / "messages.po"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None}
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


@cache
def catalogue():
    with CATALOGUE.open(encoding="utf-8") as f:
        return read_po(f, locale="cy")


@cache
def marked() -> dict[str, str]:
    """Every message marked in app/ and templates/, as `make translations` finds it, with where it is."""
    with (ROOT / "babel.cfg").open() as f:
        method_map, options_map = parse_mapping_cfg(f)
    found = {}
    for folder in ("app", "templates"):
        for filename, lineno, message, _, _ in extract_from_dir(ROOT / folder, method_map, options_map,
                                                                keywords=KEYWORDS):
            found.setdefault(message if isinstance(message, str) else message[0], f"{folder}/{filename}:{lineno}")
    return found


def messages():
    return [m for m in catalogue() if m.id]


def test_every_marked_message_is_in_the_welsh_catalogue():
    known = {m.id for m in messages()}
    absent = [f"{where}: {text!r}" for text, where in marked().items() if text not in known]
    assert not absent, "Run `make translations`, then translate these:\n" + "\n".join(absent)


def test_the_catalogue_holds_no_message_the_code_no_longer_uses():
    unused = [m.id for m in messages() if m.id not in marked()]
    assert not unused, "Run `make translations` to drop these:\n" + "\n".join(map(repr, unused))


def test_every_message_has_a_welsh_translation_that_is_not_marked_fuzzy():
    untranslated = [m.id for m in messages() if not m.string or m.fuzzy]
    assert not untranslated, "No Welsh yet for:\n" + "\n".join(map(repr, untranslated))


def test_every_translation_keeps_the_placeholders_of_its_english():
    errors = [f"{m.id!r}: {', '.join(map(str, found))}" for m, found in catalogue().check()]
    assert not errors, "\n".join(errors)


def test_every_translation_keeps_the_numbers_of_its_english_exactly():
    changed = [f"{m.id!r} -> {m.string!r}" for m in messages()
               if sorted(NUMBER.findall(m.id)) != sorted(NUMBER.findall(m.string))]
    assert not changed, "\n".join(changed)


def test_compiled_catalogues_are_built_by_the_set_up_not_kept_in_git():
    tracked = subprocess.run(["git", "ls-files", "*.mo"], cwd=ROOT, capture_output=True, text=True, check=True)
    assert tracked.stdout == ""
