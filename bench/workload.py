"""The fixed, seeded workloads every section shares: the same 10,000 cases in every run."""
from __future__ import annotations

import json
import random
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from bench.cases import enterprise, household

ROOT = Path(__file__).resolve().parent.parent
POLICIES = ROOT / "policies"
SEED = 20220401
COUNT = 10_000


def _generate(make: Callable[[random.Random], dict[str, Any]], count: int) -> list[dict[str, Any]]:
    rng = random.Random(SEED)
    return [make(rng) for _ in range(count)]


def parsed(make: Callable[[random.Random], dict[str, Any]], count: int = COUNT) -> list[dict[str, Any]]:
    """Return the seeded cases as the service sees them: JSON parsed with ``parse_float=Decimal``."""
    return [json.loads(json.dumps(case), parse_float=Decimal) for case in _generate(make, count)]


def households(count: int = COUNT) -> list[dict[str, Any]]:
    """Return the seeded households (bench/cases.py ``household``), parsed."""
    return parsed(household, count)


def enterprises(count: int = COUNT) -> list[dict[str, Any]]:
    """Return the seeded enterprises (bench/cases.py ``enterprise``), parsed."""
    return parsed(enterprise, count)


def household_bodies(count: int) -> list[str]:
    """Return the first ``count`` seeded households as ASCII JSON request bodies, one line each."""
    return [json.dumps(case, ensure_ascii=True, separators=(",", ":")) for case in _generate(household, count)]
