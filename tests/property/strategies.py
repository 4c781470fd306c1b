"""Hypothesis strategies that generate cases for any bundled family from its facts declarations."""
from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from engine.facts import CaseKind, FactDecl
from engine.policy import Family

INTERESTING = ["0", "0.01", "1", "44.99", "45", "45.00", "45.01", "100", "2000", "123456789.01",
               "250000000", "250000000.01", "249999999.99", "5000000"]


def dates_for(family: Family) -> st.SearchStrategy[str]:
    """Dates spread over the years around the family's versions, with every validity boundary."""
    edges: list[datetime.date] = []
    for policy in family.versions:
        edges += [policy.effective_from, policy.effective_from - datetime.timedelta(days=1)]
        if policy.effective_to:
            edges += [policy.effective_to, policy.effective_to + datetime.timedelta(days=1)]
    spread = st.dates(min_value=datetime.date(2020, 1, 1), max_value=datetime.date(2028, 12, 31))
    return st.one_of(st.sampled_from(edges), spread).map(datetime.date.isoformat)


def decimals(decl: FactDecl) -> st.SearchStrategy[Any]:
    low = decl.minimum if decl.minimum is not None else Decimal("-1000")
    cents = st.integers(min_value=int(low * 100), max_value=10**11).map(lambda c: str(Decimal(c) / 100))
    return st.one_of(st.sampled_from(INTERESTING), cents, st.integers(min_value=0, max_value=10**6))


def value(decl: FactDecl, dates: st.SearchStrategy[str]) -> st.SearchStrategy[Any]:
    """A value for one declared fact: mostly valid, sometimes null."""
    if decl.type == "enum":
        base: st.SearchStrategy[Any] = st.sampled_from(list(decl.values))
    elif decl.type == "bool":
        base = st.booleans()
    elif decl.type == "decimal":
        base = decimals(decl)
    elif decl.type == "integer":
        base = st.integers(min_value=0, max_value=60)
    elif decl.type == "date":
        base = dates
    elif decl.type == "string":
        base = st.text(alphabet="兰山企业ABC", min_size=1, max_size=6)
    elif decl.type == "object":
        base = obj(decl.fields, dates)
    else:
        base = st.lists(obj(decl.fields, dates), min_size=max(decl.min_items, 0), max_size=5)
    return base if decl.required else st.one_of(base, base, st.none())


def obj(decls: dict[str, FactDecl], dates: st.SearchStrategy[str]) -> st.SearchStrategy[dict[str, Any]]:
    """An object with its required fields and a random subset of the optional ones."""
    required = {k: value(d, dates) for k, d in decls.items() if d.required}
    optional = {k: value(d, dates) for k, d in decls.items() if not d.required}
    return st.fixed_dictionaries(required, optional=optional)


def cases(family: Family, kind: CaseKind) -> st.SearchStrategy[dict[str, Any]]:
    """Whole requests for one family and case kind."""
    return obj(kind.facts, dates_for(family)).map(
        lambda facts: {"policy": family.name, "kind": kind.kind, "facts": facts})


def _money(low: int, high: int) -> st.SearchStrategy[str]:
    return st.integers(min_value=low * 100, max_value=high * 100).map(lambda c: str(Decimal(c) / 100))


AREAS = st.one_of(st.sampled_from(["44.99", "45", "45.00", "45.01", "30", "60.00", "120.5"]), _money(1, 60),
                  _money(1, 400))
IN_FORCE = st.dates(min_value=datetime.date(2022, 4, 1), max_value=datetime.date(2026, 7, 31)).map(
    datetime.date.isoformat)


@st.composite
def households(draw: st.DrawFn, family: Family) -> dict[str, Any]:
    """Valid households that reach every branch of the expropriation rules (modes, statuses, art. 35/38)."""
    area = Decimal(draw(AREAS))
    added = draw(st.sampled_from([Decimal(0)] * 6 + [area, area / 2, Decimal("0.01")]))
    use = draw(st.sampled_from(["residential", "residential", "non_residential"]))
    certificate = draw(st.sampled_from([None, None, "residential", "business", "other"]))
    mode = draw(st.sampled_from(["monetary", "property_swap"]))
    prop: dict[str, Any] = {
        "use": use, "building_area": str(area), "area_added_after_scope": str(added),
        "legal_status": draw(st.sampled_from(["registered"] * 6 + ["legal_unregistered", "temporary_in_period",
                                                                  "temporary_expired", "illegal"])),
        "decoration": draw(st.sampled_from(["none", "simple", "fine", "special"])),
        "along_planned_road": draw(st.booleans()),
        "business": draw(st.fixed_dictionaries({}, optional={
            "registered": st.sampled_from([True, True, False]), "tax_record": st.sampled_from([True, True, False]),
            "consistent": st.sampled_from([True, True, False]),
            "operating_years": st.sampled_from(["0", "0.99", "1", "3"]), "operating": st.booleans(),
            "avg_annual_profit": st.one_of(st.none(), _money(0, 2_000_000))})),
        "ancillary": draw(st.lists(st.fixed_dictionaries({
            "kind": st.sampled_from(["ancillary_room", "storage", "garage"]), "appraised": _money(0, 90_000)}),
            max_size=2)),
        "public_rental_tenancy": draw(st.booleans()), "public_service_facility": draw(st.booleans()),
    }
    if certificate:
        prop["certificate_use"] = certificate
    if prop["decoration"] == "special":
        prop["decoration_appraised"] = draw(_money(0, 200_000))
    if prop["legal_status"] == "temporary_in_period":
        prop["temporary_compensation"] = draw(_money(0, 100_000))
    if draw(st.booleans()):
        prop["courtyard"] = {"land_area": draw(st.sampled_from([str(area), str(area * 2), str(area / 2 + 1)])),
                             "appraised_unit_price": draw(_money(0, 5_000))}
    if draw(st.booleans()) and area > added:  # the certificate's split of the legal area (art. 13)
        legal = area - added
        prop["inner_area"], prop["shared_area"] = str(legal * Decimal("0.8")), str(legal * Decimal("0.2"))
    if draw(st.booleans()):
        prop["special_equipment_moving"] = draw(_money(0, 50_000))
    choice: dict[str, Any] = {
        "mode": mode, "turnover_housing": draw(st.booleans()), "build_before_relocation": draw(st.booleans()),
        "overdue_months": draw(st.sampled_from(["0", "0", "1", "5"])), "overdue_by_department": draw(st.booleans()),
        "signed_in_reward_period": draw(st.booleans()), "vacated_on_time": draw(st.booleans()),
        "transition_months": draw(st.sampled_from([None, None, "0", "18", "40"])),
        "signing_date": draw(st.sampled_from([None, "2026-08-15", "2024-01-01"])),
    }
    if mode == "property_swap":
        choice["swap_building"] = draw(st.sampled_from(["multi_storey", "high_rise"]))
        if draw(st.integers(0, 3)):
            third = (area / 3).quantize(Decimal("0.01"))
            new_area = draw(st.sampled_from([area, area + 10, area - 5 if area > 6 else area, Decimal(47), third,
                                             Decimal(45), Decimal("30.5")]))
            unit: dict[str, Any] = {"building_area": str(new_area)}
            if draw(st.booleans()):
                unit.update(inner_area=str(new_area * Decimal("0.75")), shared_area=str(new_area * Decimal("0.25")),
                            construction_cost_unit_price=draw(_money(500, 3_000)))
            if draw(st.booleans()):
                unit["market_unit_price"] = draw(_money(3_000, 15_000))
            choice["new_unit"] = unit
            if draw(st.booleans()):
                choice["smallest_unit_area"] = draw(st.sampled_from(["40", "60", "90"]))
                choice["remaining_area_choice"] = draw(st.sampled_from([None, "money", "extra_unit"]))
    owner = {"individual": draw(st.sampled_from([True, True, False])), "only_home": draw(st.booleans()),
             "housing_security_eligible": draw(st.booleans()),
             "chooses_housing_security": draw(st.sampled_from([None, True, False]))}
    market = draw(_money(3_000, 15_000))
    appraised = draw(st.sampled_from([market, str(Decimal(market) * Decimal("0.9")), _cents(draw, 1_000, 16_000)]))
    facts = {"decision_date": draw(st.one_of(IN_FORCE, IN_FORCE, IN_FORCE, dates_for(family))), "property": prop,
             "prices": {"appraised_unit_price": appraised, "market_unit_price": market},
             "owner": owner, "choice": choice}
    return {"policy": family.name, "kind": "household", "facts": facts}


def _cents(draw: st.DrawFn, low: int, high: int) -> str:
    return draw(_money(low, high))


@st.composite
def projects(draw: st.DrawFn, family: Family) -> dict[str, Any]:
    """Valid projects whose timelines sit around each deadline (holidays included) and each threshold."""
    decision = draw(st.dates(min_value=datetime.date(2022, 4, 1), max_value=datetime.date(2026, 5, 31)))

    def near(anchor: datetime.date, low: int, high: int) -> str:
        return (anchor + datetime.timedelta(days=draw(st.integers(low, high)))).isoformat()

    total = draw(st.sampled_from([100, 101, 500]))
    timeline: dict[str, Any] = {}
    for name, low, high in (("plan_published", -90, -40), ("hearing_held", -30, 1), ("risk_assessment_filed", -20, 2),
                            ("executive_meeting", -10, 2), ("decision_announced", 0, 12)):
        if draw(st.integers(0, 4)):
            timeline[name] = near(decision, low, high)
    if "plan_published" in timeline:
        timeline["plan_publicity_end"] = near(datetime.date.fromisoformat(timeline["plan_published"]), 25, 35)
    if draw(st.booleans()):
        start = datetime.date.fromisoformat(near(decision, -200, -100))
        timeline["suspension_from"], timeline["suspension_to"] = start.isoformat(), near(start, 360, 370)
    if draw(st.booleans()):
        announced = datetime.date.fromisoformat(near(decision, 1, 20))
        timeline["appraiser_selection_announced"] = announced.isoformat()
        timeline["appraiser_selected"] = near(announced, 0, 16)
    chain = datetime.date.fromisoformat(near(decision, 30, 60))
    for name in ("report_received", "review_requested", "review_result", "expert_requested", "expert_conclusion"):
        if not draw(st.integers(0, 3)):
            break
        timeline[name] = chain.isoformat()
        chain = datetime.date.fromisoformat(near(chain, 0, 14))
    if draw(st.booleans()):
        paid = datetime.date.fromisoformat(near(decision, 60, 120))
        timeline["compensation_paid"], timeline["relocation"] = paid.isoformat(), near(paid, -5, 10)
    if draw(st.booleans()):
        served = datetime.date.fromisoformat(near(decision, 100, 150))
        timeline["notice_served"] = served.isoformat()
        timeline["litigation_period_end"] = near(served, -40, 60)  # the notice may come after the period ends
        timeline["court_application"] = near(datetime.date.fromisoformat(timeline["litigation_period_end"]), -12, 100)
    facts = {
        "decision_date": decision.isoformat(),
        "purpose": draw(st.sampled_from(["infrastructure", "affordable_housing", "old_city_renovation",
                                         "other_statutory", "self_improvement", "other"])),
        "legal_basis": draw(st.sampled_from([None, "", "《某法》第十条"])),
        "households": draw(st.sampled_from([10, 499, 500, 800])),
        "area": draw(st.sampled_from(["900", "49999.99", "50000", "50000.00"])),
        "special_circumstances": draw(st.booleans()),
        "owners_total": total,
        "owners_objecting": draw(st.integers(0, total)),
        "appraiser_signatures": draw(st.integers(0, total)),
        "materials": {k: draw(st.booleans()) for k in ("development_plan_proof", "annual_plan_proof",
                                                       "spatial_plan_proof", "funds_proof", "compensation_plan",
                                                       "risk_assessment_report", "resettlement_housing_plan")},
        "plan_contents": {k: draw(st.sampled_from([True, True, True, False])) for k in (
            "departments", "scope_basis_purpose_deadline", "property_basics", "compensation_method_standard",
            "swap_housing", "transition_and_fees", "subsidies_rewards")},
        "timeline": timeline,
    }
    return {"policy": family.name, "kind": "project", "facts": facts}
