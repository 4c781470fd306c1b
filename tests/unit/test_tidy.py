"""How numbers are shown in answers: ``tidy`` (explanations, quantities), written out by hand."""
from __future__ import annotations

from decimal import Decimal

import pytest

from engine.money import tidy


@pytest.mark.parametrize(("value", "min_places", "shown"), [
    ("8100.0", 0, "8100.00"),  # written with decimals: at least two (a unit price, 元/m²)
    ("7999.920", 0, "7999.92"),  # trailing zeros past two dropped
    ("1.5", 0, "1.50"),
    ("0.0001", 0, "0.0001"),  # finer than a fen: kept as written (a plot ratio)
    ("0.12340", 0, "0.1234"),
    ("3", 0, "3"),  # written as an integer: stays one (3 个月)
    ("1E+3", 0, "1000"),  # never exponent form
    ("45", 2, "45.00"),  # a quantity asks for two decimals (面积 45 -> 45.00)
    ("45.5", 2, "45.50"),
    ("-0.00", 0, "0.00"),  # a negative zero is shown as zero
    ("-12.3", 0, "-12.30"),
    ("9162.30", 0, "9162.30"),  # already two decimals: as written (the common case, returned at once)
    ("9162.00", 2, "9162.00"),
    ("9162.00", 3, "9162.000"),  # asked for more than two
    ("0.10", 1, "0.10"),
    ("100", 1, "100.0"),  # an integer asked for one decimal
    ("-5.00", 0, "-5.00"),
])
def test_tidy_shows_what_the_docstring_promises(value: str, min_places: int, shown: str) -> None:
    assert tidy(Decimal(value), min_places) == shown
