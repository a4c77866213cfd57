"""Versions of the shipped procedures built straight from their files: no app, no database."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from functools import cache

from app.content import files
from app.content.translations import is_translation
from app.content.versions import Version, version_of
from app.questionnaire.definition import QUESTIONNAIRE
from app.questionnaire.structure import Definition, resolve

BREAST = "breast-interstitial-laser-therapy"
LIVER = "liver-laser-ablation"


def version_from_text(text: str, standard_text: str, file_name: str, definition: Definition = QUESTIONNAIRE,
                      row_id: int = 1) -> Version:
    """A version as publishing would make it, from a file's text."""
    procedure = files.read_procedure(text, standard_text, file_name)
    content = files.ContentFile(procedure, text, standard_text)
    questionnaire = resolve(definition, procedure)
    procedure = replace(procedure, version=version_of(content, questionnaire))
    questionnaire = resolve(definition, procedure)
    return Version(row_id, procedure, questionnaire, questionnaire.snapshot, datetime(2026, 12, 1), "test")


@cache
def shipped(slug: str) -> Version:
    path = files.PROCEDURES_DIR / f"{slug}.toml"
    # The row id the test databases give it: the shipped files in title order... by file name, as publishing reads them.
    row_id = sorted(p.stem for p in files.PROCEDURES_DIR.glob("*.toml") if not is_translation(p)).index(slug) + 1
    return version_from_text(path.read_text(), files.STANDARD_QUESTIONS_FILE.read_text(), path.name, row_id=row_id)
