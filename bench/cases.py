"""Seeded generators of varied cases for benchmarks (the same cases for every backend in one run)."""
from __future__ import annotations

import random
from decimal import Decimal
from typing import Any

LISTING_TYPES = ["share_reform_registered", "csrc_acceptance", "domestic_listing", "overseas_listing",
                 "acquisition_relocation", "hq_relocation", "neeq_listing", "regional_equity_listing"]


def _day(rng: random.Random, first: int, last: int) -> str:
    return f"{rng.randint(first, last)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def enterprise(rng: random.Random) -> dict[str, Any]:
    """One enterprise with 1-4 listing events, some before the policy, some paid."""
    events = []
    for _ in range(rng.randint(1, 4)):
        kind = rng.choice(LISTING_TYPES)
        event: dict[str, Any] = {"type": kind, "date": _day(rng, 2021, 2026)}
        if kind == "overseas_listing":
            event["repatriated_funds"] = f"{rng.randint(0, 400_000_000)}.{rng.randint(0, 99):02d}"
        if kind == "regional_equity_listing":
            event["exchange"] = rng.choice(["qilu", "qingdao_blue_ocean"])
        events.append(event)
    paid = [{"type": rng.choice(LISTING_TYPES), "amount": "100000"}] if rng.random() < 0.3 else []
    return {"policy": "listing", "kind": "enterprise", "facts": {"name": "企业", "events": events, "paid": paid}}


def household(rng: random.Random) -> dict[str, Any]:
    """One household: both modes, every legal status, 住改非 and business cases, courtyards, swaps."""
    area = Decimal(rng.choice([rng.randint(1500, 4499), rng.randint(4500, 20000)])) / 100
    mode = rng.choice(["monetary", "property_swap"])
    certificate = rng.choice(["residential", "residential", "business", "other"])
    use = "residential" if certificate == "residential" and rng.random() < 0.8 else "non_residential"
    market = Decimal(rng.randint(4000, 14000))
    prop: dict[str, Any] = {
        "use": use, "certificate_use": certificate, "building_area": str(area),
        "area_added_after_scope": rng.choice(["0", "0", "0", "5.5"]) if area > 6 else "0",
        "legal_status": rng.choice(["registered"] * 8 + ["legal_unregistered", "illegal", "temporary_expired"]),
        "decoration": rng.choice(["none", "simple", "fine"]),
        "along_planned_road": rng.random() < 0.5,
        "business": {"registered": rng.random() < 0.6, "tax_record": rng.random() < 0.6,
                     "consistent": rng.random() < 0.6, "operating_years": rng.choice(["0", "1", "3"]),
                     "operating": rng.random() < 0.7,
                     "avg_annual_profit": rng.choice([None, str(rng.randint(10_000, 900_000))])},
        "ancillary": [{"kind": "garage", "appraised": "35000"}] if rng.random() < 0.3 else [],
    }
    if rng.random() < 0.2:
        prop["courtyard"] = {"land_area": str(area * rng.choice([Decimal("0.8"), Decimal(2)])),
                             "appraised_unit_price": "1200"}
    choice: dict[str, Any] = {"mode": mode, "signed_in_reward_period": rng.random() < 0.7,
                              "vacated_on_time": rng.random() < 0.8}
    if mode == "property_swap":
        choice.update(swap_building=rng.choice(["multi_storey", "high_rise"]),
                      turnover_housing=rng.random() < 0.2, overdue_months=rng.choice(["0", "0", "4"]),
                      overdue_by_department=rng.random() < 0.5)
        if rng.random() < 0.7:
            choice["new_unit"] = {"building_area": str(area + rng.choice([-10, 0, 12]) if area > 11 else area)}
            if rng.random() < 0.4:
                choice["smallest_unit_area"] = rng.choice(["40", "60"])
    return {"policy": "expropriation", "kind": "household", "facts": {
        "decision_date": _day(rng, 2022, 2026),
        "property": prop,
        "prices": {"appraised_unit_price": str(market * Decimal(rng.choice(["0.85", "0.95", "1.05"]))),
                   "market_unit_price": str(market)},
        "owner": {"individual": rng.random() < 0.9, "only_home": rng.random() < 0.5,
                  "housing_security_eligible": rng.random() < 0.1},
        "choice": choice}}
