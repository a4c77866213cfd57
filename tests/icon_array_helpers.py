"""Read an icon array's path data back as the people it draws."""

from __future__ import annotations

import re

TOKEN = re.compile(r"[A-Za-z]|-?(?:\d+\.?\d*|\.\d+)")
# The commands icon arrays use, with how many numbers each takes. Arcs are not
# among them: they are what made WeasyPrint slow.
NUMBERS = {"M": 2, "L": 2, "H": 1, "V": 1, "C": 6, "S": 4, "Z": 0}
SQUARE = 20  # each person's square of the 200 × 200 picture

Point = tuple[float, float]


def _cubic(p0: Point, p1: Point, p2: Point, p3: Point, steps: int = 8) -> list[Point]:
    return [tuple((1 - t) ** 3 * a + 3 * (1 - t) ** 2 * t * b + 3 * (1 - t) * t**2 * c + t**3 * d
                  for a, b, c, d in zip(p0, p1, p2, p3))
            for t in (i / steps for i in range(1, steps + 1))]


def outlines(d: str) -> list[list[Point]]:
    """Each subpath as points along it, in absolute units; a command icon arrays do not use fails."""
    tokens, shapes = TOKEN.findall(d), []
    at = control = (0.0, 0.0)
    i = 0
    while i < len(tokens):
        if tokens[i].isalpha():
            command, i = tokens[i], i + 1
        kind, relative = command.upper(), command.islower()
        if kind not in NUMBERS:
            raise ValueError(f"unexpected path command {command!r}")
        numbers = [float(n) for n in tokens[i:i + NUMBERS[kind]]]
        i += NUMBERS[kind]
        if kind == "Z":
            at = control = shapes[-1][0]
            continue
        if kind == "H":
            numbers = [numbers[0], 0 if relative else at[1]]
        elif kind == "V":
            numbers = [0 if relative else at[0], numbers[0]]
        dx, dy = at if relative else (0.0, 0.0)
        points = [(numbers[j] + dx, numbers[j + 1] + dy) for j in range(0, len(numbers), 2)]
        if kind == "M":
            shapes.append([points[0]])
            command = "l" if relative else "L"  # numbers after a move are lines
        elif kind in "CS":
            if kind == "S":  # the first control point mirrors the last curve's second
                points.insert(0, (2 * at[0] - control[0], 2 * at[1] - control[1]))
            shapes[-1] += _cubic(at, *points)
            control = points[1]
        else:
            shapes[-1] += points
        if kind not in "CS":
            control = points[-1]
        at = points[-1]
    return shapes


def square_of(outline: list[Point]) -> tuple[int, int]:
    """(column, row) of the square an outline starts in."""
    x, y = outline[0]
    return int(x // SQUARE), int(y // SQUARE)


def people_drawn(d: str | None) -> set[tuple[int, int]]:
    """The squares, (column, row), where a path draws someone."""
    return {square_of(outline) for outline in outlines(d or "")}
