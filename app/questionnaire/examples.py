"""Plausible answers to a whole questionnaire, for demo data, benchmarks and tests.

Each item draws its own example, so a new item is answered here too without
another edit; callers give the answers they care about by item id.
"""

from __future__ import annotations

import random

from .structure import Questionnaire


def example_answers(questionnaire: Questionnaire, rng: random.Random, given: dict | None = None) -> dict:
    """An answer to every item, in page order: `given` ones as given, the rest drawn by each item."""
    given = given or {}
    answers: dict = {}
    for item in questionnaire.items:
        value = given[item.id] if item.id in given else item.example(rng, answers)
        if value is not None or item.id in given or item.kind == "ask":
            answers[item.id] = value
    return questionnaire.reconcile(answers)


def page_data(questionnaire: Questionnaire, page_key: str, answers: dict) -> dict:
    """What a browser posts on one page to give these answers."""
    data: dict = {}
    for item in questionnaire.page(page_key).items:
        if item.id in answers:
            data |= item.form_data(answers[item.id])
    return data
