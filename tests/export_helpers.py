"""Reading exports back as the systems that receive them would: a spreadsheet's rows, FHIR's item trees."""

from __future__ import annotations

import csv
import io

BASE_URL = "https://prepare.example.nhs.uk"
def read_csv(text: str) -> list[dict[str, str]]:
    """Rows as a spreadsheet reads them, keyed by header."""
    return list(csv.DictReader(io.StringIO(text, newline="")))


def by_link_id(items: list[dict]) -> dict[str, dict]:
    """Every item in the tree, keyed by linkId."""
    found = {}
    for item in items:
        found[item["linkId"]] = item
        found |= by_link_id(item.get("item", []))
    return found


def answers_of(response: dict) -> dict[str, list[dict]]:
    return {link_id: item["answer"] for link_id, item in by_link_id(response["item"]).items() if "answer" in item}


VALUE_OF_TYPE = {"string": "valueString", "text": "valueString", "date": "valueDate", "boolean": "valueBoolean",
                 "integer": "valueInteger", "choice": "valueCoding"}
