import re

import pytest

from app.icon_arrays import icon_array_layers
from icon_array_helpers import SQUARE, dashes, people_drawn

EVERYONE = {(column, row) for row in range(10) for column in range(10)}


def reading_order(count: int) -> set[tuple[int, int]]:
    return {(n % 10, n // 10) for n in range(count)}


def shaded_and_plain(shaded: int):
    layers = icon_array_layers(shaded)
    return [layer for layer in layers if layer.colour is None], [layer for layer in layers if layer.colour]


@pytest.mark.parametrize("shaded", [1, 11, 50, 99])
def test_the_first_people_in_reading_order_are_shaded_and_the_rest_plain(shaded):
    filled, plain = shaded_and_plain(shaded)
    for layer in filled:
        assert people_drawn(layer.d, layer.dashes) == reading_order(shaded)
    for layer in plain:
        assert people_drawn(layer.d, layer.dashes) == EVERYONE - reading_order(shaded)


def test_no_one_or_everyone_shaded_draws_only_one_kind():
    assert shaded_and_plain(0)[0] == [] and len(shaded_and_plain(0)[1]) == 6
    assert shaded_and_plain(100)[1] == [] and len(shaded_and_plain(100)[0]) == 3


@pytest.mark.parametrize("shaded", [-1, 101])
def test_a_count_outside_0_to_100_is_refused(shaded):
    with pytest.raises(ValueError):
        icon_array_layers(shaded)


def test_every_person_stays_inside_their_own_square_of_the_picture():
    for layer in icon_array_layers(37):
        reach = layer.width / 2
        for left, right, y in dashes(layer.d, layer.dashes):
            column, row = int(left // SQUARE), int(y // SQUARE)
            # A dot reaches its radius every way; a bar its half width up and down.
            side = reach if layer.cap == "round" else 0
            assert column * SQUARE <= left - side and right + side <= (column + 1) * SQUARE
            assert row * SQUARE <= y - reach and y + reach <= (row + 1) * SQUARE


@pytest.mark.parametrize("kind", ["shaded", "plain"])
def test_people_keep_their_shape(kind):
    """A head r 3.6 at (x, y + 5) on a body 12 wide down to y + 18, shoulders a half circle r 6 at (x, y + 12),
    outlined 1 unit wide: a shaded person is that shape grown by half the outline."""
    filled, plain = shaded_and_plain(50)
    head, shoulders, body = (filled if kind == "shaded" else plain[0:1] + plain[2:4])
    left, _, y = dashes(head.d, head.dashes)[0]
    assert (head.cap, head.width, left % SQUARE, y % SQUARE) == ("round", 8.2, 10, 5)
    left, _, y = dashes(shoulders.d, shoulders.dashes)[0]
    assert (shoulders.cap, shoulders.width, left % SQUARE, y % SQUARE) == ("round", 13, 10, 12)
    left, right, y = dashes(body.d, body.dashes)[0]
    assert body.cap == "butt" and (left % SQUARE, right % SQUARE) == (3.5, 16.5)
    assert (y % SQUARE - body.width / 2, y % SQUARE + body.width / 2) == (12, 18.5)


def test_a_plain_person_is_white_inside_a_grey_outline_head_first():
    _, plain = shaded_and_plain(0)
    assert [(layer.colour, layer.width) for layer in plain] == [
        ("#768692", 8.2), ("#ffffff", 6.2), ("#768692", 13), ("#768692", 6.5), ("#ffffff", 11), ("#ffffff", 5.5)]


def test_a_picture_is_a_few_hundred_numbers():
    """WeasyPrint reads every number of path data in Python: the people drawn one by one took some 2,000."""
    numbers = sum(len(re.findall(r"-?[\d.]+", layer.d)) for layer in icon_array_layers(37))
    assert numbers <= 9 * 11 * 3  # nine layers, at most eleven runs of a row each, three numbers a run
