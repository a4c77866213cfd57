"""Read an icon array's layers back as the people they draw."""

from __future__ import annotations

import re

RUN = re.compile(r"M(-?[\d.]+) (-?[\d.]+)h([\d.]+)")
SQUARE = 20  # each person's square of the 200 × 200 picture


def dashes(d: str, dasharray: str) -> list[tuple[float, float, float]]:
    """Each dash a layer draws, as (left, right, y): a dot's left and right are its centre."""
    dash, gap = (float(n) for n in dasharray.split())
    drawn = []
    for x, y, length in ((float(a), float(b), float(c)) for a, b, c in RUN.findall(d)):
        start = x
        while start <= x + length:
            drawn.append((start, start + dash, y))
            start += dash + gap
    return drawn


def people_drawn(d: str | None, dasharray: str = "0 20") -> set[tuple[int, int]]:
    """The squares, (column, row), where a layer draws a part of someone."""
    return {(int(left // SQUARE), int(y // SQUARE)) for left, _, y in dashes(d or "", dasharray)}
