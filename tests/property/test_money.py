"""The fast forms of the exact-number helpers give exactly what their plain definitions give."""
from __future__ import annotations

import decimal
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from engine.conditions import _difference
from engine.money import CONTEXT, format_decimal, signed_sum

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


amounts = st.builds(lambda digits, places: Decimal(digits).scaleb(-places), st.integers(-10**20, 10**20),
                    st.integers(0, 4))


@given(st.lists(st.tuples(amounts, st.sampled_from([1, 0, -1])), max_size=8))
def test_signed_sum_is_the_sum_in_context(items: list[tuple[Decimal, int]]) -> None:
    """``signed_sum`` adds or subtracts without multiplying: the same total, decimals included, as the plain sum."""
    with decimal.localcontext(CONTEXT):
        expected = sum((a * sign for a, sign in items), Decimal("0.00"))
    total = signed_sum(items, Decimal("0.00"))
    assert (str(total), total) == (str(expected), expected)


def test_signed_sum_by_hand() -> None:
    # 0.00 + 5.000 × 0 (shown only: adds 0.000, three decimals) + 10.00 − 3.00 = 7.000
    assert str(signed_sum([(Decimal("5.000"), 0), (Decimal("10.00"), 1), (Decimal("3.00"), -1)],
                          Decimal("0.00"))) == "7.000"
