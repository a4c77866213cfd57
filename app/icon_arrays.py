"""The pictures of 100 people, drawn as a few dashed lines.

WeasyPrint draws SVG in Python and pays for every number in path data: one
path per person, or even one outline per person in a single path, cost it
about 15 ms a picture, a quarter of a summary's render. So each part of a
person is a dash of a line along a row: a head is a dot (a dash of no length
with round ends), the shoulders a bigger dot, the body a short thick dash
under them. A row of people is three numbers per part, whatever its length.

A person at (x, y), the top centre of their 20 × 20 square, is a head of
radius 3.6 at (x, y + 5) on a body of width 12 from y + 6 down to y + 18
whose top is a half circle of radius 6 at (x, y + 12), outlined 1 unit wide.
A shaded person is all one colour. A plain one is white, outlined in grey,
head drawn first, so the body's outline shows where the head meets it. The
data depend only on how many people are shaded, so each count is worked out once.
"""

from __future__ import annotations

from functools import cache
from typing import NamedTuple

SQUARE = 20  # each person has a 20 × 20 square of the 200 × 200 picture
OUTLINE = 1.0  # the outline's width, half outside the shape and half inside
HEAD_Y, HEAD_R = 5, 3.6
SHOULDERS_Y, SHOULDERS_R = 12, 6
FEET_Y = 18
PLAIN_OUTLINE, PLAIN_FILL = "#768692", "#ffffff"


class Layer(NamedTuple):
    """One path of the picture: `d` is runs of a row, each "M x y h length", drawn with this stroke."""

    d: str
    colour: str  # None: the picture's own colour, for shaded people
    width: float
    dashes: str  # SVG stroke-dasharray
    cap: str  # SVG stroke-linecap


def _runs(first: int, last: int) -> list[tuple[int, int, int]]:
    """People first to last - 1, in reading order, as (row, first column, last column) along each row."""
    runs, n = [], first
    while n < last:
        row, start = divmod(n, 10)
        end = min(9, start + last - n - 1)
        runs.append((row, start, end))
        n += end - start + 1
    return runs


def _centre(column: int) -> int:
    return column * SQUARE + SQUARE // 2


def _dots(runs, y: float, radius: float, colour: str | None) -> Layer:
    """A dot of this radius at height y in each person's square along the runs."""
    # Each run a hair longer than its last dot's place, so that dot is inside it.
    d = "".join(f"M{_centre(start)} {row * SQUARE + y}h{(end - start) * SQUARE + 0.01:g}" for row, start, end in runs)
    return Layer(d, colour, 2 * radius, f"0 {SQUARE}", "round")


def _bars(runs, top: float, bottom: float, half: float, colour: str | None) -> Layer:
    """A block from top to bottom, `half` wide each side of the centre, in each person's square along the runs."""
    y = (top + bottom) / 2
    d = "".join(f"M{_centre(start) - half:g} {row * SQUARE + y:g}h{(end - start) * SQUARE + 2 * half:g}"
                for row, start, end in runs)
    return Layer(d, colour, bottom - top, f"{2 * half:g} {SQUARE - 2 * half:g}", "butt")


def _person(runs, grow: float, colour: str | None) -> list[Layer]:
    """Head, shoulders and body, each grown by `grow` on every side (shrunk when it is less than 0)."""
    half = SHOULDERS_R + grow
    return [_dots(runs, HEAD_Y, HEAD_R + grow, colour),
            _dots(runs, SHOULDERS_Y, half, colour),
            _bars(runs, SHOULDERS_Y, FEET_Y + grow, half, colour)]


@cache
def icon_array_layers(shaded: int) -> tuple[Layer, ...]:
    """The paths of a 10 × 10 icon array whose first `shaded` people, in reading order, are filled, in drawing order."""
    if not 0 <= shaded <= 100:
        raise ValueError(f"an icon array shows 0 to 100 people shaded, not {shaded}")
    filled, plain = _runs(0, shaded), _runs(shaded, 100)
    layers = _person(filled, OUTLINE / 2, None) if filled else []
    if plain:
        outline, inside = _person(plain, OUTLINE / 2, PLAIN_OUTLINE), _person(plain, -OUTLINE / 2, PLAIN_FILL)
        # The head, outline then inside; then the body over it, outline then inside.
        layers += [outline[0], inside[0], *outline[1:], *inside[1:]]
    return tuple(layers)
