"""Exact decimal money: parsing, declared rounding per line item, and output as strings."""
from __future__ import annotations

import decimal
from decimal import Decimal

# Wide precision and trapped errors: an amount is either exact or an error, never silently rounded.
CONTEXT = decimal.Context(
    prec=50,
    rounding=decimal.ROUND_HALF_EVEN,
    traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow],
)

ROUNDING_MODES = {
    name: getattr(decimal, name)
    for name in (
        "ROUND_HALF_UP",
        "ROUND_HALF_EVEN",
        "ROUND_HALF_DOWN",
        "ROUND_UP",
        "ROUND_DOWN",
        "ROUND_CEILING",
        "ROUND_FLOOR",
    )
}
DEFAULT_QUANTUM = Decimal("0.01")
DEFAULT_ROUNDING = "ROUND_HALF_UP"


def to_decimal(value: object) -> Decimal:
    """Convert an int, Decimal or decimal string to Decimal; refuse floats, bools and non-finite values."""
    if isinstance(value, bool) or isinstance(value, float):
        raise ValueError("不接受浮点数或布尔值作为数值")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, str):
        if "_" in value:  # Decimal reads "60_00" as 6000: a typo would change an amount a hundredfold
            raise ValueError(f"不是有效的数值：{value!r}（数值中不能有下划线）")
        try:
            result = Decimal(value.strip())
        except decimal.InvalidOperation as e:
            raise ValueError(f"不是有效的数值：{value!r}") from e
    else:
        raise ValueError(f"不是有效的数值：{value!r}")
    if not result.is_finite():
        raise ValueError(f"不是有限数值：{value!r}")
    return result


MAX_MAGNITUDE = Decimal(10) ** 15  # no area, price or amount of a case comes near a thousand trillion
MAX_PLACES = 10


def too_large(value: Decimal) -> bool:
    """Tell whether |value| >= MAX_MAGNITUDE, by its digits: abs() of 1e1000000 overflows the context."""
    return value != 0 and value.adjusted() >= MAX_MAGNITUDE.adjusted()


POLICY_DIGITS = 40  # integer digits: beyond them no amount can be rounded to 0.01 within the 50 digits of CONTEXT


def policy_number_problem(value: Decimal) -> str | None:
    """Why a number written in a policy file can never be computed with, or None.

    Only what no case can compute is refused (a parameter read only by min() or a comparison may well be
    large); the tighter limits of check_magnitude are for the numbers a case sends.
    """
    if value.is_finite() and value != 0 and value.adjusted() >= POLICY_DIGITS:
        return f"数值过大（超过 {POLICY_DIGITS} 位整数）：用到它的金额都无法按 0.01 取整，任何案件都无法计算"
    return None


def check_magnitude(value: Decimal) -> None:
    """Refuse a case number too large or too finely divided to be an area, price or amount."""
    exponent = value.as_tuple().exponent
    if too_large(value):
        raise ValueError("数值超出允许范围（绝对值应小于 10^15，小数不超过 10 位）")
    if isinstance(exponent, int) and exponent < -MAX_PLACES:  # 0.30000000000000004: a float's artefact, most often
        raise ValueError(f"小数超过 {MAX_PLACES} 位（收到 {-exponent} 位：{value}）：请按实际的精确值填写，"
                         "如 0.3 写作 \"0.30\"；由浮点数计算得到的数值请先按需取整")


def round_amount(value: Decimal, quantum: Decimal = DEFAULT_QUANTUM, mode: str = DEFAULT_ROUNDING) -> Decimal:
    """Round one line item as its rule declares (default 0.01, ROUND_HALF_UP)."""
    return value.quantize(quantum, rounding=ROUNDING_MODES[mode], context=CONTEXT)


def signed_sum(amounts: list[tuple[Decimal, int]], start: Decimal) -> Decimal:
    """Sum ``amount * sign`` over rounded amounts from ``start``, in CONTEXT's 50 digits (as ``sum`` would under
    ``localcontext(CONTEXT)``, with no context switch): the total of an answer."""
    add, subtract, multiply = CONTEXT.add, CONTEXT.subtract, CONTEXT.multiply
    total = start
    for amount, sign in amounts:
        if sign == 1:
            total = add(total, amount)
        elif sign == -1:
            total = subtract(total, amount)
        else:  # 0: shown only, but its zero (0.00) still sets the total's decimals, as sum() would
            total = add(total, multiply(amount, sign))
    return total


def format_decimal(value: Decimal) -> str:
    """Render a Decimal in plain positional notation, never exponent form.

    ``str`` writes a Decimal positionally, exactly as ``format(value, "f")`` does, whenever it
    needs no exponent (every amount and area of a case); only a text with an exponent is formatted
    again, about three times slower.
    """
    text = str(value)
    if "E" in text:
        text = format(value, "f")
    return "0" + text[2:] if text[0] == "-" and not value else text  # a negative zero is "0..."


def tidy(value: Decimal, min_places: int = 0) -> str:
    """Show a number without trailing zeros past what it needs, but with at least ``min_places`` decimals.

    A number written with decimals keeps at least two (8100.0 -> "8100.00", 7999.920 -> "7999.92");
    one written as an integer stays one (3 -> "3") unless ``min_places`` asks for more.
    """
    text = str(value)  # plain positional text, exact (format_decimal, inlined for the common case)
    if "E" in text or text[0] == "-":
        text = format_decimal(value)
    point = text.find(".")
    if min_places <= 2 and (len(text) - point == 3 if point >= 0 else not min_places):
        return text  # two decimals, or an integer asked for none: already as shown (most amounts and areas)
    whole, dot, fraction = text.partition(".")
    if dot:
        if min_places < 2:
            min_places = 2
        fraction = fraction.rstrip("0")
    if len(fraction) < min_places:
        fraction = fraction.ljust(min_places, "0")
    return whole + "." + fraction if fraction else whole
