"""The README's example answers are the real answers of the bundled policies (docs that cannot drift)."""
from __future__ import annotations

import json
import re
from decimal import Decimal

import pytest

from engine import evaluate
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("example", ["listing-case.json", "household-swap.json", "interpretation-case.json",
                                     "enterprise-policy-case.json", "targets-service-2022-09-30.json"])
def test_readme_shows_the_real_answer(durable_policies, example: str) -> None:
    after = README[README.index(f"@examples/{example}"):]
    block = re.search(r"```json\n(.*?)\n```", after, re.S)
    assert block is not None, f"no JSON answer after the {example} example"
    shown = json.loads(block.group(1))
    shown.pop("decision_id", None)
    request = json.loads((ROOT / "examples" / example).read_text(encoding="utf-8"), parse_float=Decimal)
    assert shown == json.loads(json.dumps(evaluate(durable_policies, request)))


def test_readme_shows_the_real_verdicts_of_a_monitoring_year(durable_policies) -> None:
    after = README[README.index("examples/targets-plan-2023.json\n"):]
    block = re.search(r"```text\n(.*?)\n```", after, re.S)
    assert block is not None, "no verdicts after the targets-plan-2023.json example"
    example = (ROOT / "examples" / "targets-plan-2023.json").read_text(encoding="utf-8")
    request = json.loads(example, parse_float=Decimal)
    answer = evaluate(durable_policies, request)
    real = [f"{f['code']:9s} {f['indicator']}: {f['message']}" for f in answer["findings"] if f["code"] != "missing"]
    shown = [line for line in block.group(1).splitlines() if not line.startswith(("missing", "解释"))]
    assert shown == real
    missing = sum(1 for f in answer["findings"] if f["code"] == "missing")
    assert f"其余 {missing} 个指标未报送" in block.group(1)


def test_readme_shows_the_real_validate_summary(capsys: pytest.CaptureFixture[str]) -> None:
    from cli import main

    assert main(["validate"]) == 0
    summary = capsys.readouterr().out.split("（sha256:")[0]
    assert f"$ .venv/bin/lanshan-rules validate\n{summary}（sha256:…）" in README
