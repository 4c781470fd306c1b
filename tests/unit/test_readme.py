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
                                     "enterprise-policy-case.json"])
def test_readme_shows_the_real_answer(durable_policies, example: str) -> None:
    after = README[README.index(f"@examples/{example}"):]
    block = re.search(r"```json\n(.*?)\n```", after, re.S)
    assert block is not None, f"no JSON answer after the {example} example"
    shown = json.loads(block.group(1))
    shown.pop("decision_id", None)
    request = json.loads((ROOT / "examples" / example).read_text(encoding="utf-8"), parse_float=Decimal)
    assert shown == json.loads(json.dumps(evaluate(durable_policies, request)))
