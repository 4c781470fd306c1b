"""Version selection by the governing date: per element, across versions, and outside every version."""
from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from engine import PolicyLoadError, evaluate, load_policies
from tests.conftest import POLICIES


def two_versions(tmp_path: Path, first_end: str = "2024-12-31", second_start: str = "2025-01-01") -> Path:
    """The bundled listing policy closed at ``first_end``, and a successor raising the overseas rate to 3%."""
    family = tmp_path / "listing"
    shutil.copytree(POLICIES / "listing", family)
    old = (family / "2022-04-29.yaml").read_text(encoding="utf-8")
    (family / "2022-04-29.yaml").write_text(old.replace("effective_to: null", f"effective_to: {first_end}"),
                                            encoding="utf-8")
    new = old.replace('version: "2022-04-29"', f'version: "{second_start}"') \
             .replace("effective_from: 2022-04-29", f"effective_from: {second_start}") \
             .replace("2022-04-29: {value: 0.02", f"{second_start}: {{value: 0.03") \
             .replace("      2022-04-29: {", f"      {second_start}: {{")
    (family / f"{second_start}.yaml").write_text(new, encoding="utf-8")
    return tmp_path


def run(root: Path, events: list[dict[str, Any]], backend: str = "python") -> dict[str, Any]:
    request = {"policy": "listing", "kind": "enterprise", "facts": {"name": "企业", "events": events}}
    return evaluate(load_policies(root, backend=backend), json.loads(json.dumps(request), parse_float=Decimal))


@pytest.mark.parametrize("backend", ["python", "durable"])
def test_each_event_uses_the_version_in_force_on_its_date(tmp_path: Path, backend: str) -> None:
    root = two_versions(tmp_path)
    answer = run(root, [
        {"type": "overseas_listing", "date": "2024-12-31", "repatriated_funds": "10000000"},
        {"type": "neeq_listing", "date": "2025-01-01"},
    ], backend)
    amounts = {i["code"]: i["amount"] for i in answer["items"]}
    assert amounts == {"overseas_listing": "200000.00",  # 2% × 10,000,000 under the first version
                       "neeq_listing": "500000.00"}
    assert [v["version"] for v in answer["versions_used"]] == ["2022-04-29", "2025-01-01"]
    assert answer["policy"]["version"] == "2025-01-01"


def test_the_rate_of_the_successor_applies_after_the_switch(tmp_path: Path) -> None:
    answer = run(two_versions(tmp_path), [
        {"type": "overseas_listing", "date": "2025-01-01", "repatriated_funds": "10000000"}])
    assert answer["items"][0]["amount"] == "300000.00"  # 3% × 10,000,000


def test_once_holds_across_versions(tmp_path: Path) -> None:
    answer = run(two_versions(tmp_path), [
        {"type": "domestic_listing", "date": "2025-03-01"}, {"type": "domestic_listing", "date": "2023-03-01"}])
    assert [(i["code"], i["amount"]) for i in answer["items"]] == [("domestic_listing", "5000000.00")]
    assert "2023-03-01" in answer["items"][0]["explanation"]  # the earlier event is the one paid
    assert [f["code"] for f in answer["findings"]] == ["once_only"]


def dated_rate(tmp_path: Path) -> Path:
    """The bundled listing policy with the README's own how-to applied: overseas_rate 3% from 2025-01-01."""
    family = tmp_path / "listing"
    shutil.copytree(POLICIES / "listing", family)
    text = (family / "2022-04-29.yaml").read_text(encoding="utf-8")
    line = next(x for x in text.splitlines(keepends=True) if x.startswith("      2022-04-29: {value: 0.02,"))
    amended = "      2025-01-01: {value: 0.03, article: 二（五）, text: 修订后的比例}\n"
    (family / "2022-04-29.yaml").write_text(text.replace(line, line + amended), encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("backend", ["python", "durable"])
def test_a_dated_parameter_value_applies_from_its_date_to_each_event_on_its_own_date(tmp_path: Path,
                                                                                   backend: str) -> None:
    # before (audit 9): every event of one version read the parameters of the latest event's date, so a later
    # 新三板 listing turned a 2024 overseas listing's 2% into 3% (3,000,000.00 instead of 2,000,000.00)
    root = dated_rate(tmp_path)
    answer = run(root, [{"type": "overseas_listing", "date": "2024-06-01", "repatriated_funds": "100000000"},
                        {"type": "neeq_listing", "date": "2025-06-01"}], backend)
    # 2024-06-01: 100,000,000 × 2% = 2,000,000.00 (under the 5,000,000 cap); 新三板 500,000.00
    assert {i["code"]: i["amount"] for i in answer["items"]} == {"overseas_listing": "2000000.00",
                                                                 "neeq_listing": "500000.00"}
    answer = run(root, [{"type": "overseas_listing", "date": "2025-06-01", "repatriated_funds": "100000000"},
                        {"type": "domestic_listing", "date": "2023-03-01"}], backend)
    # 2025-06-01: 100,000,000 × 3% = 3,000,000.00; domestic 5,000,000.00
    assert {i["code"]: i["amount"] for i in answer["items"]} == {"overseas_listing": "3000000.00",
                                                                 "domestic_listing": "5000000.00"}
    answer = run(root, [{"type": "overseas_listing", "date": "2025-06-01", "repatriated_funds": "100000000"},
                        {"type": "overseas_listing", "date": "2024-06-01", "repatriated_funds": "10000000"}],
                 backend)
    # once across the epochs: only the earlier (2024) listing is paid, 10,000,000 × 2% = 200,000.00
    assert [(i["code"], i["amount"]) for i in answer["items"]] == [("overseas_listing", "200000.00")]
    assert [f["code"] for f in answer["findings"]] == ["once_only"]


def test_a_gap_between_versions_is_no_policy_in_force(tmp_path: Path) -> None:
    root = two_versions(tmp_path, first_end="2024-06-30", second_start="2025-01-01")
    answer = run(root, [{"type": "neeq_listing", "date": "2024-08-01"}])
    assert answer["status"] == "no_policy_in_force"
    assert answer["policy"] is None and answer["items"] == [] and answer["total"] == "0.00"
    # audit 11: the closed version's own "after" text said 未登记后续版本, which is false with a successor registered
    assert answer["reason"] == ("2024-08-01 在版本 2022-04-29（临兰政字〔2022〕16号）失效日 2024-06-30 之后、"
                                "版本 2025-01-01（临兰政字〔2022〕16号）施行日 2025-01-01 之前，这一天没有施行中的版本")
    answer = run(root, [{"type": "neeq_listing", "date": "2024-06-30"}])  # its last day is still in force
    assert answer["status"] == "evaluated"


def test_before_the_first_version_cites_its_commencement() -> None:
    answer = run(POLICIES, [{"type": "neeq_listing", "date": "2022-04-28"}])
    assert answer["status"] == "no_policy_in_force"
    assert "早于临兰政字〔2022〕16号施行日 2022-04-29" in answer["reason"]
    assert answer["findings"][0]["articles"] == ["正文末段"]


def test_overlapping_versions_are_refused(tmp_path: Path) -> None:
    root = two_versions(tmp_path, first_end="2025-01-01", second_start="2025-01-01")
    with pytest.raises(PolicyLoadError) as e:
        load_policies(root, backend="python")
    assert any("重叠" in p.message and p.file.endswith("2025-01-01.yaml") for p in e.value.problems)
