"""Indicator tables (engine/indicators.py): rows compiled into rules, one verdict per indicator on both backends."""
from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from engine import PolicyLoadError, PolicySet, evaluate, load_policies
from tests.conftest import POLICIES

STATUSES = {"met", "on_track", "at_risk", "not_met", "missing"}


def _targets_copy(tmp_path: Path) -> Path:
    shutil.copytree(POLICIES / "targets", tmp_path / "targets")
    return tmp_path / "targets"


def _problems(root: Path) -> list[str]:
    with pytest.raises(PolicyLoadError) as caught:
        load_policies(root, backend="python")
    return [str(p) for p in caught.value.problems]


def test_a_broken_row_is_reported_at_its_own_line(tmp_path: Path) -> None:
    folder = _targets_copy(tmp_path)
    path = folder / "2021-01-01.yaml"
    text = path.read_text(encoding="utf-8")
    line = text.splitlines().index("      - id: w_common_disease_screening") + 1
    path.write_text(text.replace("        target: 85\n", "        target: param.no_such_target\n", 1), encoding="utf-8")
    problems = _problems(tmp_path)
    assert any(f"2021-01-01.yaml:{line}:" in p and "no_such_target" in p for p in problems), problems


def test_an_about_target_needs_the_tolerance(tmp_path: Path) -> None:
    folder = _targets_copy(tmp_path)
    path = folder / "2021-01-01.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("      about_tolerance: 2\n", ""), encoding="utf-8")
    problems = _problems(tmp_path)
    # the four "左右" rows: 45%、40%、50%、35%
    assert sum("about_tolerance" in p for p in problems) == 4, problems


def test_two_instruments_of_one_family_run_in_parallel_but_one_kind_may_not_overlap(tmp_path: Path) -> None:
    folder = _targets_copy(tmp_path)
    loaded = load_policies(tmp_path, backend="python")  # 2021–2025 and 2022-04-08–2022-12-31 overlap: other kinds
    assert [p.version for p in loaded.families["targets"].current()] == ["2021-01-01", "2022-04-08"]
    second = (folder / "2022-04-08.yaml").read_text(encoding="utf-8")
    second = second.replace('version: "2022-04-08"', 'version: "2022-06-01"').replace(
        "effective_from: 2022-04-08", "effective_from: 2022-06-01")
    (folder / "2022-06-01.yaml").write_text(second, encoding="utf-8")
    problems = _problems(tmp_path)
    assert any("2022-06-01.yaml" in p and "重叠" in p for p in problems), problems


def _ask(policies: PolicySet, kind: str, facts: dict[str, Any]) -> dict[str, Any]:
    request = {"policy": "targets", "kind": kind, "facts": facts}
    return evaluate(policies, json.loads(json.dumps(request), parse_float=Decimal))


def test_a_monitoring_year_governs_by_its_last_day(python_policies: PolicySet) -> None:
    answer = _ask(python_policies, "plan_monitoring", {"year": 2021})
    assert (answer["governing_date"], answer["policy"]["version"]) == ("2021-12-31", "2021-01-01")
    # 2022 is inside the scheme's validity too, but the scheme decides another kind: the plans' reason is given
    early = _ask(python_policies, "plan_monitoring", {"year": 2020})
    assert early["status"] == "no_policy_in_force"
    assert early["reason"].startswith("监测年度末日 2020-12-31 早于“十四五”时期")
    late = _ask(python_policies, "service_capacity", {"as_of": "2021-12-31"})
    assert late["reason"].startswith("数据截至 2021-12-31，早于本方案印发之日 2022-04-08")


_FACTS = YAML(typ="safe").load((POLICIES / "targets" / "facts.yaml").read_text(encoding="utf-8"))
PLAN_IDS = sorted(_FACTS["kinds"]["plan_monitoring"]["facts"]["figures"]["fields"])


def _percent() -> st.SearchStrategy[str]:
    # figures near the targets (two decimals), where the boundaries and the progress line matter
    return st.decimals(min_value=0, max_value=100, places=2).map(str)


@st.composite
def monitoring_years(draw: st.DrawFn) -> dict[str, Any]:
    chosen = draw(st.lists(st.sampled_from(PLAN_IDS), unique=True, max_size=len(PLAN_IDS)))
    based = draw(st.lists(st.sampled_from(PLAN_IDS), unique=True, max_size=len(PLAN_IDS)))
    return {"year": draw(st.integers(2021, 2025)),
            "figures": {i: draw(_percent()) for i in chosen}, "baselines": {i: draw(_percent()) for i in based}}


def test_every_plan_indicator_is_a_fact() -> None:
    assert len(PLAN_IDS) == 43


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(facts=monitoring_years())
def test_each_indicator_gets_exactly_one_verdict_and_the_backends_agree(
        python_policies: PolicySet, durable_policies: PolicySet, facts: dict[str, Any]) -> None:
    answer = _ask(python_policies, "plan_monitoring", facts)
    verdicts = {f["indicator"]: f["code"] for f in answer["findings"]}
    assert len(answer["findings"]) == len(PLAN_IDS) and set(verdicts) == set(PLAN_IDS)
    assert set(verdicts.values()) <= STATUSES
    for indicator in PLAN_IDS:
        if indicator not in facts["figures"]:
            assert verdicts[indicator] == "missing"  # no figure is never a pass
    assert _ask(durable_policies, "plan_monitoring", facts) == answer


@pytest.mark.parametrize(("remove", "message"), [
    ("      due: \"year >= {target_year}\"\n", "indicators 需要“due”"),
    ("      progress: \"(year - 2020) / ({target_year} - 2020)\"\n", "需要“progress”和“base_year”"),
    ("        target_year: 2025\n", "target_year（目标年度）或 every_year"),
])
def test_an_incomplete_table_is_a_load_error_not_a_crash(tmp_path: Path, remove: str, message: str) -> None:
    path = _targets_copy(tmp_path) / "2021-01-01.yaml"
    text = path.read_text(encoding="utf-8")
    assert remove in text
    path.write_text(text.replace(remove, "", 1), encoding="utf-8")
    assert any(message in p for p in _problems(tmp_path)), _problems(tmp_path)
