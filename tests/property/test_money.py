"""The fast forms of the exact-number helpers give exactly what their plain definitions give."""
from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from engine.conditions import _difference
from engine.money import CONTEXT, format_decimal

# any finite Decimal, written with any exponent: positional and exponent forms, zeros with a sign
decimals = st.builds(lambda sign, digits, exponent: Decimal(f"{sign}{digits}E{exponent}"),
                     st.sampled_from(["", "-"]), st.integers(0, 10**30), st.integers(-40, 40))


@given(decimals)
def test_format_decimal_is_plain_positional_text(value: Decimal) -> None:
    """``format_decimal`` takes ``str`` when it has no exponent: the text is that of ``format(value, "f")``."""
    text = format(value, "f")
    expected = "0" + text[2:] if text.startswith("-0") and value == 0 else text
    assert format_decimal(value) == expected
    assert "E" not in format_decimal(value)


@given(decimals, decimals)
def test_difference_is_the_sign_of_the_exact_difference(a: Decimal, b: Decimal) -> None:
    """The atom of ``a - b`` is its sign, computed exactly however far apart the exponents are."""
    exact = CONTEXT.subtract(a, b)
    assert _difference(a, b) == (exact > 0) - (exact < 0)
