from math import hypot

import pytest

from app.icon_arrays import icon_array_paths
from icon_array_helpers import SQUARE, outlines, people_drawn, square_of

EVERYONE = {(column, row) for row in range(10) for column in range(10)}


def reading_order(count: int) -> set[tuple[int, int]]:
    return {(n % 10, n // 10) for n in range(count)}


@pytest.mark.parametrize("shaded", [1, 11, 50, 99])
def test_the_first_people_in_reading_order_are_shaded_and_the_rest_plain(shaded):
    paths = icon_array_paths(shaded)
    assert people_drawn(paths.shaded) == reading_order(shaded)
    assert people_drawn(paths.plain) == EVERYONE - reading_order(shaded)


def test_no_one_or_everyone_shaded_leaves_one_path_empty():
    assert icon_array_paths(0).shaded == "" and people_drawn(icon_array_paths(0).plain) == EVERYONE
    assert icon_array_paths(100).plain == "" and people_drawn(icon_array_paths(100).shaded) == EVERYONE


@pytest.mark.parametrize("shaded", [-1, 101])
def test_a_count_outside_0_to_100_is_refused(shaded):
    with pytest.raises(ValueError):
        icon_array_paths(shaded)


def test_every_person_stays_inside_their_own_square_of_the_picture():
    half_stroke = 0.5
    paths = icon_array_paths(37)
    for outline in outlines(paths.shaded) + outlines(paths.plain):
        column, row = square_of(outline)
        for x, y in outline:
            assert column * SQUARE + half_stroke <= x <= (column + 1) * SQUARE - half_stroke
            assert row * SQUARE + half_stroke <= y <= (row + 1) * SQUARE - half_stroke


@pytest.mark.parametrize(("kind", "square"), [("shaded", (3, 2)), ("plain", (3, 6))])
def test_people_keep_their_shape(kind, square):
    """A head r 3.6 at (x, y + 5) on a body "M-6 18v-6a6 6 0 0 1 12 0v6z" at (x, y), as before."""
    person = [point for outline in outlines(getattr(icon_array_paths(50), kind))
              if square_of(outline) == square for point in outline]
    x, y = square[0] * SQUARE + 10, square[1] * SQUARE
    xs, ys = [px - x for px, _ in person], [py - y for _, py in person]
    assert min(xs) == -6 and max(xs) == 6 and max(ys) == 18
    assert min(ys) == pytest.approx(1.4, abs=0.01)  # the top of the head
    for px, py in zip(xs, ys):
        on_head = abs(hypot(px, py - 5) - 3.6) < 0.01
        on_body_edges = (abs(px) == 6 and py >= 12) or py == 18
        # The shoulders are the curve WeasyPrint drew for the arc: within 0.11 units of it.
        on_shoulders = py <= 12 and abs(hypot(px, py - 12) - 6) < 0.12
        assert on_head or on_body_edges or on_shoulders, (px, py)


def test_people_are_drawn_without_arcs():
    """WeasyPrint turns each arc into curves with matrix sums, point by point: the slow part."""
    paths = icon_array_paths(50)
    assert not set("AaQqTt") & set(paths.shaded + paths.plain)
