"""Check that the hand-written limit (bench/limit.py) gives the engine's answers, then time it.

Run: ``python bench/check_limit.py [N]`` (default 10,000 households and 10,000 enterprises, seeded
``random.Random(20220401)``).  Each case goes through ``engine.evaluate`` on the python backend; the
status, the per-code item sums (Decimal) and the total (and ``due`` for listing) are compared with
``household_limit`` / ``listing_limit``, fed twice: with the facts as the engine's own schema loads
them and with ``normalise_household`` / ``normalise_enterprise``.  A third, untimed set of 10,000
"wide" households (``wide_household``) reaches the branches bench/cases.py never generates
(temporary buildings, special decoration and equipment, inner/shared areas, art. 20 choices, agreed
transition months, art. 32 choices, cents everywhere); where the engine refuses a case (an amount the
YAML needs is null, e.g. no market price for a non-residential swap) the limit must refuse it too.
Exit status 1 on any mismatch.
Then the limit is timed on the same cases (normalisation excluded), best of 5 rounds.
"""
from __future__ import annotations

import json
import random
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from marshmallow import ValidationError  # noqa: E402

from bench.cases import enterprise, household  # noqa: E402
from bench.limit import household_limit, listing_limit, normalise_enterprise, normalise_household  # noqa: E402
from engine import CaseError, evaluate, load_policies  # noqa: E402


def engine_money(answer: dict[str, Any]) -> dict[str, Any]:
    """The engine's answer reduced to what the limit computes."""
    items: dict[str, Decimal] = {}
    for item in answer["items"]:
        items[item["code"]] = items.get(item["code"], Decimal("0.00")) + Decimal(item["amount"])
    money = {"status": answer["status"], "items": items, "total": Decimal(answer["total"])}
    if "due" in answer:
        money["due"] = Decimal(answer["due"])
    return money


def same(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Equal as numbers, and with the same codes and the same places (0.00 vs 0 would not pass)."""
    if a.keys() != b.keys() or a["status"] != b["status"] or a["items"].keys() != b["items"].keys():
        return False
    pairs = [(a["total"], b["total"])] + [(a["items"][k], b["items"][k]) for k in a["items"]]
    if "due" in a:
        pairs.append((a["due"], b["due"]))
    return all(x == y and x.as_tuple().exponent == y.as_tuple().exponent for x, y in pairs)


def _money(rng: random.Random, low: int, high: int) -> str:
    return f"{rng.randint(low, high)}.{rng.randint(0, 99):02d}"


def wide_household(rng: random.Random) -> dict[str, Any]:
    """A household from bench/cases.py, then varied where that generator never goes.

    Temporary buildings in their period, special decoration, special equipment, inner and shared
    areas, the new unit's own prices, the art. 20 extra-unit choice, agreed transition months,
    build-before-relocation, the art. 32 choice, non-individual owners, cents everywhere (rounding).
    """
    request = household(rng)
    facts = request["facts"]
    prop, choice, owner, prices = facts["property"], facts["choice"], facts["owner"], facts["prices"]
    area = Decimal(prop["building_area"])
    if rng.random() < 0.5:
        prices["appraised_unit_price"] = _money(rng, 3000, 15000)
        prices["market_unit_price"] = _money(rng, 3000, 15000)
    if rng.random() < 0.1 and prop["use"] == "non_residential" and prop["certificate_use"] != "residential":
        del prices["market_unit_price"]
    if rng.random() < 0.08:
        prop["legal_status"] = "temporary_in_period"
        prop["temporary_compensation"] = _money(rng, 0, 90000)
    if rng.random() < 0.15:
        prop["decoration"] = "special"
        prop["decoration_appraised"] = _money(rng, 0, 90000)
    if rng.random() < 0.15:
        prop["special_equipment_moving"] = _money(rng, 0, 50000)
    if rng.random() < 0.3:
        prop["business"]["avg_annual_profit"] = _money(rng, 0, 900000)
    if rng.random() < 0.3:
        prop["ancillary"] = [{"kind": rng.choice(["ancillary_room", "storage", "garage"]),
                              "appraised": _money(rng, 0, 60000)} for _ in range(rng.randint(0, 3))]
    if prop.get("courtyard") and rng.random() < 0.5:
        prop["courtyard"] = {"land_area": str(area + Decimal(rng.choice(["-1.5", "0", "0.01", "33.33"]))),
                             "appraised_unit_price": _money(rng, 100, 3000)}
    if rng.random() < 0.4:  # the certificate's split of the legal area (art. 13 additions excluded)
        legal = area - Decimal(prop["area_added_after_scope"])
        inner = (legal * Decimal(rng.choice(["0.7", "0.8", "0.85"]))).quantize(Decimal("0.01"))
        prop["inner_area"], prop["shared_area"] = str(inner), str(legal - inner)
    owner["individual"] = rng.random() < 0.85
    owner["only_home"] = rng.random() < 0.7
    owner["housing_security_eligible"] = rng.random() < 0.4
    owner["chooses_housing_security"] = rng.choice([None, True, False])
    choice["signed_in_reward_period"] = rng.random() < 0.7
    if choice["mode"] == "property_swap":
        if rng.random() < 0.3:
            choice["transition_months"] = rng.choice(["0", "6", "18.5", "30"])
        choice["build_before_relocation"] = rng.random() < 0.15
        choice["overdue_months"] = rng.choice(["0", "1", "2.5", "4"])
        unit = choice.get("new_unit")
        if unit is None and rng.random() < 0.5:
            unit = choice["new_unit"] = {"building_area": str(area + Decimal(rng.choice(["-20", "-3.3", "0", "7.77"])))}
            if Decimal(unit["building_area"]) <= 0:
                unit["building_area"] = "1"
        if unit is not None:
            new_area = Decimal(unit["building_area"])
            if rng.random() < 0.5:
                new_inner = (new_area * Decimal(rng.choice(["0.7", "0.8", "0.9"]))).quantize(Decimal("0.01"))
                unit["inner_area"], unit["shared_area"] = str(new_inner), str(new_area - new_inner)
                unit["construction_cost_unit_price"] = _money(rng, 1500, 4000)
            if rng.random() < 0.5:
                unit["market_unit_price"] = _money(rng, 4000, 16000)
            if rng.random() < 0.5:
                choice["smallest_unit_area"] = rng.choice(["40", "60", "75.5"])
                choice["remaining_area_choice"] = rng.choice([None, "money", "extra_unit"])
    return request


def check(label: str, make: Any, family: str, kind: str, limit: Any, normalise: Any, count: int,
          policies: Any) -> tuple[list[dict[str, Any]], float]:
    rng = random.Random(20220401)
    requests = [json.loads(json.dumps(make(rng)), parse_float=Decimal) for _ in range(count)]
    schema = policies.families[family].kinds[kind]
    mismatches = 0
    errors = 0
    invalid = 0
    shown = 0
    inputs: list[dict[str, Any]] = []
    engine_seconds = 0.0
    statuses: dict[str, int] = {}
    codes: dict[str, int] = {}
    for n, request in enumerate(requests):
        try:
            loaded = schema.load(request["facts"])
        except ValidationError:
            invalid += 1  # a 422: not a case the limit is defined for
            continue
        start = time.perf_counter()
        try:
            answer = evaluate(policies, request)
        except CaseError:
            errors += 1  # an amount the rules need is missing: the limit must fail too
            for facts in (loaded, normalise(request["facts"])):
                try:
                    got = limit(facts)
                except Exception:  # noqa: BLE001 - any failure is what is expected
                    continue
                mismatches += 1
                print(f"  MISMATCH {label} #{n}: engine refused the case, limit answered {got}")
            continue
        engine_seconds += time.perf_counter() - start
        expected = engine_money(answer)
        statuses[expected["status"]] = statuses.get(expected["status"], 0) + 1
        for code in expected["items"]:
            codes[code] = codes.get(code, 0) + 1
        mine = normalise(request["facts"])
        inputs.append(mine)
        for source, facts in (("engine-loaded", loaded), ("normalised", mine)):
            got = limit(facts)
            if not same(got, expected):
                mismatches += 1
                if shown < 10:
                    shown += 1
                    print(f"  MISMATCH {label} #{n} ({source} facts)\n    engine: {expected}\n    limit:  {got}\n"
                          f"    facts:  {json.dumps(request['facts'], default=str, ensure_ascii=False)}")
    print(f"{label}: {len(requests)} cases, {invalid} invalid (422), {errors} refused by the engine (limit refused too "
          f"unless counted below), {mismatches} mismatches "
          f"(each case checked with engine-loaded and normalised facts)")
    print(f"  statuses {dict(sorted(statuses.items()))}")
    print(f"  item codes (cases with the code) {dict(sorted(codes.items()))}")
    print(f"  engine (python backend) {len(inputs) / engine_seconds:,.0f} cases/s single pass")
    return inputs, float(mismatches)


def rate(function: Any, inputs: list[dict[str, Any]], rounds: int = 5) -> float:
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        for facts in inputs:
            function(facts)
        best = min(best, time.perf_counter() - start)
    return len(inputs) / best


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    policies = load_policies(ROOT / "policies", backend="python")
    households, bad_h = check("households", household, "expropriation", "household", household_limit,
                              normalise_household, count, policies)
    enterprises, bad_e = check("enterprises", enterprise, "listing", "enterprise", listing_limit,
                               normalise_enterprise, count, policies)
    _, bad_w = check("wide households (extra, not timed)", wide_household, "expropriation", "household",
                     household_limit, normalise_household, count, policies)
    print(f"household_limit: {rate(household_limit, households):,.0f} cases/s "
          f"(best of 5 rounds over {len(households)} cases, normalisation excluded)")
    print(f"listing_limit:   {rate(listing_limit, enterprises):,.0f} cases/s "
          f"(best of 5 rounds over {len(enterprises)} cases, normalisation excluded)")
    if bad_h or bad_e or bad_w:
        sys.exit(1)


if __name__ == "__main__":
    main()
