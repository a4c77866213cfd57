"""Typed reading of one TOML table, recording every problem as "file: field: what"."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class Reader:
    """Reads fields from a table; each getter marks its field as known.

    Problems go to a shared list instead of raising, so one run names them all.
    finish() reports fields nobody asked for: usually a typo in a field name.
    """

    def __init__(self, data: dict[str, Any], file_name: str, errors: list[str], path: str = ""):
        self.data = data
        self.file_name = file_name
        self.errors = errors
        self.path = path
        self.seen: set[str] = set()
        self.children: list[Reader] = []

    def _name(self, field: str) -> str:
        return f"{self.path}.{field}" if self.path else field

    def error(self, field: str, message: str) -> None:
        self.errors.append(f"{self.file_name}: {self._name(field)}: {message}")

    def _get(self, field: str, kind: type | tuple[type, ...], kind_name: str, required: bool):
        self.seen.add(field)
        if field not in self.data:
            if required:
                self.error(field, "is missing")
            return None
        value = self.data[field]
        kinds = kind if isinstance(kind, tuple) else (kind,)
        # bool is a subclass of int; a TOML true is never a count.
        if not isinstance(value, kinds) or (int in kinds and isinstance(value, bool)):
            self.error(field, f"must be {kind_name}, not {type(value).__name__}")
            return None
        return value

    def text(self, field: str, required: bool = True) -> str | None:
        value = self._get(field, str, "text", required)
        if value is None:
            return None if required else ""
        value = value.strip()
        if not value and required:
            self.error(field, "is empty")
        return value

    def slug(self, field: str) -> str | None:
        value = self.text(field)
        if value and not SLUG.match(value):
            self.error(field, f"'{value}' must be lower-case letters, digits and hyphens")
        return value

    def url(self, field: str) -> str | None:
        value = self.text(field)
        if value and not value.startswith("https://"):
            self.error(field, f"'{value}' must start with https://")
        return value

    def choice(self, field: str, choices: tuple[str, ...]) -> str | None:
        value = self.text(field)
        if value and value not in choices:
            allowed = ", ".join(f"'{c}'" for c in choices)
            self.error(field, f"'{value}' is not one of {allowed}")
        return value

    def count(self, field: str, minimum: int = 0) -> int | None:
        value = self._get(field, int, "a whole number", True)
        if value is not None and value < minimum:
            self.error(field, f"is {value}, but must be {minimum} or more")
            return None
        return value

    def number(self, field: str, required: bool = True) -> int | float | None:
        """A number as written, whole or not (98, or 2.5): a percentage as its source states it."""
        return self._get(field, (int, float), "a number", required)

    def date(self, field: str, required: bool = True) -> date | None:
        return self._get(field, date, "a date (YYYY-MM-DD, no quotes)", required)

    def texts(self, field: str) -> tuple[str, ...]:
        values = self._get(field, list, "a list of text", True) or []
        if field in self.data and not values:
            self.error(field, "is empty")
        for i, value in enumerate(values):
            if not isinstance(value, str) or not value.strip():
                self.error(f"{field}[{i}]", "must be non-empty text")
        return tuple(v.strip() for v in values if isinstance(v, str))

    def table(self, field: str, required: bool = True) -> Reader:
        value = self._get(field, dict, "a table", required) or {}
        return self._child(value, self._name(field))

    def tables(self, field: str, required: bool = True) -> list[Reader]:
        values = self._get(field, list, "a list of tables", required) or []
        if required and field in self.data and not values:
            self.error(field, "is empty")
        readers = []
        for i, value in enumerate(values):
            if not isinstance(value, dict):
                self.error(f"{field}[{i}]", "must be a table")
                continue
            readers.append(self._child(value, f"{self._name(field)}[{i}]"))
        return readers

    def unique(self, field: str, ids: list[str | None]) -> None:
        repeated = sorted({i for i in ids if i and ids.count(i) > 1})
        if repeated:
            self.error(field, f"ids must be unique; repeated: {', '.join(repeated)}")

    def _child(self, data: dict, path: str) -> Reader:
        child = Reader(data, self.file_name, self.errors, path)
        self.children.append(child)
        return child

    def finish(self) -> None:
        for field in sorted(set(self.data) - self.seen):
            self.error(field, "is not a known field")
        for child in self.children:
            child.finish()
