"""The fast forms of the exact-number helpers give exactly what their plain definitions give."""
from __future__ import annotations

from decimal import ROUND_UP, Decimal

from hypothesis import given
from hypothesis import strategies as st

from engine.conditions import LIMIT, SCALE_DIGITS, _difference
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
def test_difference_is_the_scaled_difference_rounded_up(a: Decimal, b: Decimal) -> None:
    """The atom of ``a - b``: the difference times 10^6, rounded away from zero, held within +-LIMIT."""
    exact = CONTEXT.subtract(a, b).scaleb(SCALE_DIGITS, CONTEXT).to_integral_value(rounding=ROUND_UP)
    atom = _difference(a, b)
    assert atom is not None and atom == max(-LIMIT, min(LIMIT, int(exact)))
    assert (atom > 0) == (a > b) and (atom == 0) == (a == b)
