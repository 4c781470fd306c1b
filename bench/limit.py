"""The performance limit (issue 4): the two policies hand-written as plain Python functions with Decimal.

``household_limit(facts)`` computes what ``policies/expropriation/2022-04-01.yaml`` computes for a
household, and ``listing_limit(facts)`` what ``policies/listing/2022-04-29.yaml`` computes for an
enterprise, as fast as plain Python allows: no parsing, no rule engine, no explanation.  They are the
ceiling any engine backend can be compared with, not a second implementation to serve answers from.

The limit computes the money only: ``{"status", "items": {code: amount summed per code}, "total"}``,
plus ``"due"`` for an evaluated listing case.  Explanations, findings, interpretations, quantities,
the trace and the policy summary are not produced.  Every line item is rounded to 0.01 ROUND_HALF_UP
before it is summed, as the engine does; a code appears in ``items`` exactly when the engine yields
an item with that code (also when the amount is 0.00).

Input is the ``facts`` dict as the engine sees it after validation: Decimal numbers,
``datetime.date`` dates, defaults filled, cross-field checks passed (e.g. ``swap_building`` given in
swap mode, ``market_unit_price`` given for residential houses).  ``normalise_household`` and
``normalise_enterprise`` turn the JSON-ish facts of ``bench/cases.py`` into that form; they are not
part of the timed limit.  Arithmetic uses the default decimal context (28 digits), exact for any
realistic amount; the engine uses 50 digits.

The YAML files are the specification; ``bench/check_limit.py`` verifies equality on 10,000 seeded
households and enterprises.
"""
from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
NOTHING = Decimal(0)

# ---- expropriation 2022-04-01 (临兰政发〔2022〕1号) parameters ----
EXPROPRIATION_FROM = datetime.date(2022, 4, 1)
EXPROPRIATION_TO = datetime.date(2026, 7, 31)
MINIMUM_AREA = Decimal(45)            # art. 29 ¶2, monetary
MINIMUM_AREA_MULTI = Decimal(45)      # art. 29 ¶2, swap into 多层
MINIMUM_AREA_HIGH = Decimal(47)       # art. 29 ¶2, swap into 高层
FLOOR_RATE = Decimal("0.9")           # art. 26 ¶3
MOVING_RESIDENTIAL = Decimal("2000.00")  # art. 34 ¶1 (items carry two places, as the engine's)
MOVING_PER_M2 = Decimal(10)           # art. 34 ¶2
TRANSITION_MONTHLY = Decimal(1500)    # art. 35 ¶1
TRANSITION_MONETARY = Decimal("4500.00")  # art. 35 ¶2: 3 months × 1500
TRANSITION_MULTI = Decimal(24)        # art. 35 ¶4
TRANSITION_HIGH = Decimal(36)
OVERDUE_DOUBLE = TRANSITION_MONTHLY * 2        # art. 35 ¶5
BUSINESS_MONTHS = Decimal(3)          # art. 36, I-1
TWELVE = Decimal(12)
BUSINESS_FLAT = Decimal(100)
BUSINESS_MIN_YEARS = Decimal(1)       # art. 38, I-13
UPLIFT_ROAD = Decimal("0.4")          # art. 38
UPLIFT_OTHER = Decimal("0.3")
DECORATION_SIMPLE = Decimal(50)       # art. 39
DECORATION_FINE = Decimal(100)
REWARD = Decimal("20000.00")          # art. 40
HALF = Decimal("0.5")                 # art. 20 ¶2
LEGAL = ("registered", "legal_unregistered")

# ---- listing 2022-04-29 (临兰政字〔2022〕16号 二（五）) parameters ----
LISTING_FROM = datetime.date(2022, 4, 29)
OVERSEAS_RATE = Decimal("0.02")
OVERSEAS_CAP = Decimal(5000000)
LISTING_FIXED = {
    "share_reform_registered": Decimal("1000000.00"),
    "csrc_acceptance": Decimal("4000000.00"),
    "domestic_listing": Decimal("5000000.00"),
    "acquisition_relocation": Decimal("5000000.00"),
    "hq_relocation": Decimal("5000000.00"),
    "neeq_listing": Decimal("500000.00"),
}
REGIONAL_SUBSIDY = Decimal("100000.00")
EXCHANGES = ("qilu", "qingdao_blue_ocean")


def _no_policy() -> dict[str, Any]:
    return {"status": "no_policy_in_force", "items": {}, "total": ZERO}


def _not_compensable() -> dict[str, Any]:
    return {"status": "not_compensable", "items": {}, "total": ZERO}


def household_limit(facts: dict[str, Any]) -> dict[str, Any]:
    """Money of one expropriated household under 临兰政发〔2022〕1号, as the YAML policy computes it."""
    day = facts["decision_date"]
    if day < EXPROPRIATION_FROM or day > EXPROPRIATION_TO:  # art. 57, 58
        return _no_policy()
    prop = facts["property"]
    status = prop["legal_status"]
    if status == "illegal" or status == "temporary_expired":  # art. 14
        return _not_compensable()
    if status == "temporary_in_period":  # art. 14, I-10: only the determined amount
        if prop["building_area"] == prop["area_added_after_scope"]:  # art. 13: all of it built after the scope
            return _not_compensable()
        amount = prop["temporary_compensation"].quantize(CENT, ROUND_HALF_UP)
        return {"status": "evaluated", "items": {"temporary_building": amount}, "total": amount}
    area = prop["building_area"] - prop["area_added_after_scope"]  # art. 13
    if area == 0:
        return _not_compensable()

    prices = facts["prices"]
    owner = facts["owner"]
    choice = facts["choice"]
    residential = prop["certificate_use"] == "residential"  # I-12
    swap = choice["mode"] == "property_swap"
    appraised = prices["appraised_unit_price"]
    market = prices.get("market_unit_price")

    # art. 26: unit price
    unit_price = appraised
    if residential:
        floor = FLOOR_RATE * market
        if floor > appraised:
            unit_price = floor
    elif market is not None and market > appraised:
        unit_price = market

    # art. 29 ¶2 with art. 32 (I-11, I-14): minimum area
    minimum = False
    compensated = area
    resettlement = area if swap else None  # art. 28
    if (area < MINIMUM_AREA and residential and owner["individual"] and owner["only_home"]
            and (not owner["housing_security_eligible"] or owner.get("chooses_housing_security") is False)):
        if not swap:
            compensated = MINIMUM_AREA
            minimum = True
        else:
            building = choice.get("swap_building")
            if building == "multi_storey":
                resettlement = MINIMUM_AREA_MULTI
                minimum = True
            elif building == "high_rise":
                resettlement = MINIMUM_AREA_HIGH
                minimum = True

    house_value = (compensated * unit_price).quantize(CENT, ROUND_HALF_UP)
    items: dict[str, Decimal] = {"house_value": house_value}
    total = ZERO if swap else house_value  # swap: credited against the new unit, not in the total

    # art. 38: 住改非 uplift on the residential value of the legal area, not the art. 29 minimum (I-2, I-13, I-16, I-21)
    business = prop["business"]
    if (residential and prop["use"] == "non_residential" and business["registered"] and business["tax_record"]
            and business["consistent"] and business["operating_years"] >= BUSINESS_MIN_YEARS):
        legal_value = (area * unit_price).quantize(CENT, ROUND_HALF_UP)
        uplift = (legal_value * (UPLIFT_ROAD if prop["along_planned_road"] else UPLIFT_OTHER)).quantize(
            CENT, ROUND_HALF_UP)
        items["change_of_use_uplift"] = uplift
        total += uplift

    if residential:
        # art. 39: decoration on the actual legal area (I-3)
        decoration = prop["decoration"]
        if decoration != "none" and owner["individual"]:
            if decoration == "simple":
                amount = (DECORATION_SIMPLE * area).quantize(CENT, ROUND_HALF_UP)
            elif decoration == "fine":
                amount = (DECORATION_FINE * area).quantize(CENT, ROUND_HALF_UP)
            else:
                amount = prop["decoration_appraised"].quantize(CENT, ROUND_HALF_UP)
            items["decoration"] = amount
            total += amount
        # art. 34 ¶1
        items["moving"] = MOVING_RESIDENTIAL
        total += MOVING_RESIDENTIAL
    else:
        # art. 36: business loss (I-1)
        if business["operating"]:
            profit = business.get("avg_annual_profit")
            if profit is not None:  # a loss (negative average) pays 0, I-20
                amount = (max(profit, NOTHING) * BUSINESS_MONTHS / TWELVE).quantize(CENT, ROUND_HALF_UP)
            else:
                amount = (BUSINESS_FLAT * area).quantize(CENT, ROUND_HALF_UP)
            items["business_loss"] = amount
            total += amount
        # art. 34 ¶2
        amount = (MOVING_PER_M2 * area).quantize(CENT, ROUND_HALF_UP)
        items["moving"] = amount
        total += amount
    equipment = prop.get("special_equipment_moving")
    if equipment is not None and not residential:  # art. 34 ¶2: 征收非住宅的 … 特殊设备
        amount = equipment.quantize(CENT, ROUND_HALF_UP)
        items["special_equipment_moving"] = amount
        total += amount

    # art. 35: temporary resettlement (I-4, I-15)
    if residential:
        if not swap:
            items["temporary_resettlement"] = TRANSITION_MONETARY
            total += TRANSITION_MONETARY
        else:
            turnover = choice["turnover_housing"]
            before = choice["build_before_relocation"]
            months = None
            if not turnover and not before:
                building = choice.get("swap_building")
                if building == "multi_storey" or building == "high_rise":
                    months = choice.get("transition_months")
                    if months is None:
                        months = TRANSITION_MULTI if building == "multi_storey" else TRANSITION_HIGH
            overdue = choice["overdue_months"]
            monthly = NOTHING
            if overdue > 0 and not before:
                if choice["overdue_by_department"]:
                    monthly = TRANSITION_MONTHLY if turnover else OVERDUE_DOUBLE
                elif not turnover:
                    monthly = TRANSITION_MONTHLY
            if months is not None or monthly:
                amount = TRANSITION_MONTHLY * (months if months is not None else 0) + monthly * overdue
                amount = amount.quantize(CENT, ROUND_HALF_UP)
                items["temporary_resettlement"] = amount
                total += amount
        # art. 40
        if choice["signed_in_reward_period"] and choice["vacated_on_time"]:
            items["early_signing_reward"] = REWARD
            total += REWARD

    # art. 33: vacant courtyard (plot ratio = building area / land area < 1.0)
    courtyard = prop.get("courtyard")
    if courtyard is not None:
        land = courtyard["land_area"]
        if prop["building_area"] < land:
            amount = ((land - area) * courtyard["appraised_unit_price"]).quantize(CENT, ROUND_HALF_UP)
            items["courtyard"] = amount
            total += amount

    # art. 41
    ancillary = prop["ancillary"]
    if ancillary:
        amount = ZERO
        for room in ancillary:
            amount += room["appraised"].quantize(CENT, ROUND_HALF_UP)
        items["ancillary"] = amount
        total += amount

    # art. 29 ¶1, art. 20: swap settlement (positive: the household pays; subtracted from the total)
    if swap:
        new_unit = choice.get("new_unit")
        if new_unit is not None:
            remaining = resettlement - new_unit["building_area"]
            smallest = choice.get("smallest_unit_area")
            amount = None
            separate = (not minimum and prop.get("inner_area") is not None and prop.get("shared_area") is not None
                        and new_unit.get("inner_area") is not None and new_unit.get("shared_area") is not None)
            if separate and (remaining <= 0 or smallest is None):
                # I-5, I-17: inner excess at the market price, shared excess at the construction cost, a
                # part's shortfall refunded at the monetary price (art. 20 decides a shortfall when given)
                price = _settlement_price(new_unit, prices)
                if price is None:  # as the engine: the YAML amount needs the price even when the excess is 0
                    raise ValueError("swap_settlement needs a market price (choice.new_unit or prices)")
                inner = new_unit["inner_area"] - prop["inner_area"]
                shared = new_unit["shared_area"] - prop["shared_area"]
                amount = ((inner * price if inner > 0 else inner * unit_price)
                          + (shared * new_unit["construction_cost_unit_price"] if shared > 0
                             else shared * unit_price))
            elif remaining > 0:
                if smallest is None:  # art. 29 ¶1 shortfall at the monetary price
                    amount = -(remaining * unit_price)
                elif remaining >= smallest * HALF:  # art. 20: half or more
                    if choice.get("remaining_area_choice") == "extra_unit" and remaining < smallest:
                        amount = (smallest - remaining) * _settlement_price(new_unit, prices)
                    else:
                        amount = -(remaining * unit_price)
                else:  # art. 20: below half, at the market price
                    amount = -(remaining * market)
            elif remaining < 0:  # only building areas (or the art. 29 ¶2 minimum, I-8): excess at market price
                amount = -remaining * _settlement_price(new_unit, prices)
            if amount is not None:
                amount = amount.quantize(CENT, ROUND_HALF_UP)
                items["swap_settlement"] = amount
                total -= amount

    return {"status": "evaluated", "items": items, "total": total}


def _settlement_price(new_unit: dict[str, Any], prices: dict[str, Any]) -> Decimal | None:
    """I-7: the new unit's market price, else the location's new commercial housing price."""
    price = new_unit.get("market_unit_price")
    return prices.get("market_unit_price") if price is None else price


def listing_limit(facts: dict[str, Any]) -> dict[str, Any]:
    """Subsidies of one enterprise under 临兰政字〔2022〕16号 二（五）, as the YAML policy computes them."""
    paid = ZERO
    for entry in facts.get("paid") or ():
        paid += entry["amount"].quantize(CENT, ROUND_HALF_UP)  # each payment to the cent
    events = [e for e in facts["events"] if e["date"] >= LISTING_FROM]
    if not events:  # nothing granted; what was paid is still deducted
        return {**_no_policy(), "due": ZERO - paid.quantize(CENT, ROUND_HALF_UP)}
    if len(events) > 1:
        events.sort(key=_date)  # stable: "once" goes to the earliest event, ties by position
    items: dict[str, Decimal] = {}
    total = ZERO
    for event in events:
        kind = event["type"]
        if kind in items:
            continue
        amount = LISTING_FIXED.get(kind)
        if amount is None:
            if kind == "overseas_listing":
                amount = min(event["repatriated_funds"] * OVERSEAS_RATE, OVERSEAS_CAP).quantize(CENT, ROUND_HALF_UP)
            elif event.get("exchange") in EXCHANGES:  # regional_equity_listing, once for both centres
                amount = REGIONAL_SUBSIDY
            else:
                continue
        items[kind] = amount
        total += amount
    return {"status": "evaluated", "items": items, "total": total,
            "due": total - paid.quantize(CENT, ROUND_HALF_UP)}


def _date(event: dict[str, Any]) -> datetime.date:
    return event["date"]


# ---- normalisation (not part of the limit) --------------------------------------------------------

def _dec(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def normalise_household(raw: dict[str, Any]) -> dict[str, Any]:
    """JSON-ish household facts (strings for numbers and dates) -> the validated form, defaults filled."""
    p = raw["property"]
    b = p.get("business") or {}
    c = raw["choice"]
    o = raw.get("owner") or {}
    pr = raw["prices"]
    use = p["use"]
    courtyard = p.get("courtyard")
    new_unit = c.get("new_unit")
    return {
        "decision_date": datetime.date.fromisoformat(raw["decision_date"]),
        "property": {
            "use": use,
            "certificate_use": p.get("certificate_use") or use,
            "legal_status": p.get("legal_status") or "registered",
            "building_area": _dec(p["building_area"]),
            "area_added_after_scope": _dec(p.get("area_added_after_scope") or 0),
            "inner_area": _dec(p.get("inner_area")),
            "shared_area": _dec(p.get("shared_area")),
            "decoration": p.get("decoration") or "none",
            "decoration_appraised": _dec(p.get("decoration_appraised")),
            "along_planned_road": bool(p.get("along_planned_road")),
            "business": {
                "registered": bool(b.get("registered")), "tax_record": bool(b.get("tax_record")),
                "consistent": bool(b.get("consistent")), "operating_years": _dec(b.get("operating_years") or 0),
                "operating": bool(b.get("operating")), "avg_annual_profit": _dec(b.get("avg_annual_profit")),
            },
            "courtyard": None if courtyard is None else {
                "land_area": _dec(courtyard["land_area"]),
                "appraised_unit_price": _dec(courtyard["appraised_unit_price"])},
            "ancillary": [{"kind": a["kind"], "appraised": _dec(a["appraised"])} for a in p.get("ancillary") or []],
            "temporary_compensation": _dec(p.get("temporary_compensation")),
            "special_equipment_moving": _dec(p.get("special_equipment_moving")),
            "public_rental_tenancy": bool(p.get("public_rental_tenancy")),
            "public_service_facility": bool(p.get("public_service_facility")),
        },
        "prices": {"appraised_unit_price": _dec(pr["appraised_unit_price"]),
                   "market_unit_price": _dec(pr.get("market_unit_price"))},
        "owner": {
            "individual": o.get("individual") is not False,
            "only_home": bool(o.get("only_home")),
            "housing_security_eligible": bool(o.get("housing_security_eligible")),
            "chooses_housing_security": o.get("chooses_housing_security"),
        },
        "choice": {
            "mode": c["mode"],
            "swap_building": c.get("swap_building"),
            "transition_months": _dec(c.get("transition_months")),
            "turnover_housing": bool(c.get("turnover_housing")),
            "build_before_relocation": bool(c.get("build_before_relocation")),
            "overdue_months": _dec(c.get("overdue_months") or 0),
            "overdue_by_department": bool(c.get("overdue_by_department")),
            "signed_in_reward_period": bool(c.get("signed_in_reward_period")),
            "vacated_on_time": bool(c.get("vacated_on_time")),
            "signing_date": None if c.get("signing_date") is None else datetime.date.fromisoformat(c["signing_date"]),
            "new_unit": None if new_unit is None else {
                k: _dec(new_unit.get(k)) for k in ("building_area", "inner_area", "shared_area",
                                                    "market_unit_price", "construction_cost_unit_price")},
            "smallest_unit_area": _dec(c.get("smallest_unit_area")),
            "remaining_area_choice": c.get("remaining_area_choice"),
        },
    }


def normalise_enterprise(raw: dict[str, Any]) -> dict[str, Any]:
    """JSON-ish enterprise facts -> the validated form."""
    return {
        "name": raw["name"],
        "events": [{"type": e["type"], "date": datetime.date.fromisoformat(e["date"]),
                    "repatriated_funds": _dec(e.get("repatriated_funds")), "exchange": e.get("exchange")}
                   for e in raw["events"]],
        "paid": [{"type": p["type"], "amount": _dec(p["amount"])} for p in raw.get("paid") or []],
    }
