"""The pictures of 100 people, as two SVG paths: the shaded people in one, the rest in the other.

WeasyPrint draws SVG in Python, point by point, and pays for every element, every
number in path data and, most of all, every arc. So the people are drawn with as few
elements and numbers as will keep their shape: cubic Béziers instead of arcs, a
shaded person as one outline, points to a hundredth of a unit. The data depend only
on how many people are shaded, so each count is worked out once.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from math import atan2, cos, pi, sin, tan
from typing import NamedTuple

SQUARE = 20  # each person has a 20 × 20 square of the 200 × 200 picture
PLACES = 2  # a hundredth of a unit: 0.002 mm on the printed picture

Point = tuple[float, float]
Curve = tuple[Point, Point, Point, Point]  # start, control, control, end

# One person at (0, 0), as the old markup drew them: a head, the circle r 3.6
# at (0, 5), on a body "M-6 18v-6a6 6 0 0 1 12 0v6z". The body's half-circle
# shoulders are the one cubic curve WeasyPrint drew for that arc (handles 4/3
# of the radius long), so print looks as it did; a browser drew the true arc,
# which is never more than 0.11 units (a ninth of a pixel) away.
HEAD = (0.0, 5.0, 3.6)
SHOULDERS: Curve = ((-6.0, 12.0), (-6.0, 4.0), (6.0, 4.0), (6.0, 12.0))


def _point_on(curve: Curve, t: float) -> Point:
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = curve
    a, b, c, d = (1 - t) ** 3, 3 * (1 - t) ** 2 * t, 3 * (1 - t) * t**2, t**3
    return a * x0 + b * x1 + c * x2 + d * x3, a * y0 + b * y1 + c * y2 + d * y3


def _split(curve: Curve, t: float) -> tuple[Curve, Curve]:
    """The curve cut in two at t (de Casteljau)."""
    def between(p, q):
        return p[0] + (q[0] - p[0]) * t, p[1] + (q[1] - p[1]) * t

    p0, p1, p2, p3 = curve
    a, b, c = between(p0, p1), between(p1, p2), between(p2, p3)
    d, e = between(a, b), between(b, c)
    f = between(d, e)
    return (p0, a, d, f), (f, e, c, p3)


def _neck() -> float:
    """Where, along the shoulders from the left, they pass under the head's outline."""
    x, y, r = HEAD
    outside, inside = 0.0, 0.5  # the left shoulder is outside the head; the top of the body inside it
    for _ in range(50):
        t = (outside + inside) / 2
        px, py = _point_on(SHOULDERS, t)
        outside, inside = (t, inside) if (px - x) ** 2 + (py - y) ** 2 > r**2 else (outside, t)
    return outside


def _angle(circle, point: Point) -> float:
    return atan2(point[1] - circle[1], point[0] - circle[0])


def _arc(circle, start: float, end: float, curves: int) -> list[Curve]:
    """Cubic Béziers along a circle, clockwise on screen from angle start to end."""
    x, y, r = circle
    step = (end - start) / curves
    handle = 4 / 3 * tan(step / 4) * r
    arc = []
    for a, b in ((start + i * step, start + (i + 1) * step) for i in range(curves)):
        arc.append(((x + r * cos(a), y + r * sin(a)),
                    (x + r * cos(a) - handle * sin(a), y + r * sin(a) + handle * cos(a)),
                    (x + r * cos(b) + handle * sin(b), y + r * sin(b) - handle * cos(b)),
                    (x + r * cos(b), y + r * sin(b))))
    return arc


def _snap(point: Point) -> Point:
    return round(point[0], PLACES), round(point[1], PLACES)


def _number(value: float) -> str:
    """A number at its shortest: 0.50 as .5, -0.00 as 0."""
    text = f"{value:.{PLACES}f}".rstrip("0").rstrip(".")
    if text == "-0":
        return "0"
    return text.replace("0.", ".", 1) if text.startswith(("0.", "-0.")) else text


def _numbers(values) -> str:
    """Numbers as path data allows: no space before a minus sign, or before a dot when the last one had a dot."""
    text = last = ""
    for value in values:
        number = _number(value)
        if last and not number.startswith("-") and not (number.startswith(".") and "." in last):
            text += " "
        text += number
        last = number
    return text


def _curves(*runs: list[Curve]) -> str:
    """Relative path data along each run of curves in turn, from the first one's start. Within
    a run a curve after the first is "s", which reflects the last control point: two points, not three."""
    at, text = _snap(runs[0][0][0]), ""
    for run in runs:
        for i, curve in enumerate(run):
            points = [_snap(p) for p in curve[2 if i else 1:]]
            text += ("s" if i else "c") + _numbers(v - o for p in points for v, o in zip(p, at))
            at = points[-1]
    return text


def _outlines() -> tuple[str, str, Point, str]:
    """A shaded person (one outline), and a plain person's body, where its head starts and the head."""
    neck = _neck()
    left_shoulder, _ = _split(SHOULDERS, neck)
    _, right_shoulder = _split(SHOULDERS, 1 - neck)
    left_neck, right_neck = left_shoulder[3], right_shoulder[0]
    # Angles grow clockwise on screen (y points down); the head goes over the top, neck to neck.
    head = _arc(HEAD, _angle(HEAD, left_neck), _angle(HEAD, right_neck) + 2 * pi, 2)
    shaded = "v-6" + _curves([left_shoulder], head, [right_shoulder]) + "v6z"
    # A plain person shows where the head meets the shoulders, as the old circle
    # under a white body did: the body is closed and the head is open at the neck.
    # Both run clockwise, so where they overlap their white fills add up, not cancel.
    body = "v-6" + _curves([SHOULDERS]) + "v6z"
    return shaded, body, _snap(left_neck), _curves(head)


_SHADED, _PLAIN_BODY, _PLAIN_HEAD_START, _PLAIN_HEAD = _outlines()


class IconArrayPaths(NamedTuple):
    shaded: str
    plain: str


def _people(first: int, last: int) -> Iterator[tuple[int, int]]:
    """Where people first to last - 1 stand, in reading order: top centre of each one's square."""
    for n in range(first, last):
        yield (n % 10) * SQUARE + SQUARE // 2, (n // 10) * SQUARE


@cache
def icon_array_paths(shaded: int) -> IconArrayPaths:
    """Path data for a 10 × 10 icon array whose first `shaded` people, in reading order, are filled."""
    if not 0 <= shaded <= 100:
        raise ValueError(f"an icon array shows 0 to 100 people shaded, not {shaded}")
    head_x, head_y = _PLAIN_HEAD_START
    return IconArrayPaths(
        shaded="".join(f"M{x - 6} {y + 18}{_SHADED}" for x, y in _people(0, shaded)),
        plain="".join(f"M{x - 6} {y + 18}{_PLAIN_BODY}M{_numbers((x + head_x, y + head_y))}{_PLAIN_HEAD}"
                      for x, y in _people(shaded, 100)),
    )
