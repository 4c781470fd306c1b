"""Single-thread listing evaluations per second on both backends, side by side in one run.

Run: ``.venv/bin/python bench/listing_speed.py``.  A seeded generator gives the same 2,000 varied
enterprises to both backends; each backend is timed over three rounds, interleaved, and the
median is reported with the ratio.  (The full benchmark suite is issue 4.)
"""
from __future__ import annotations

import json
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from engine import evaluate, load_policies  # noqa: E402

TYPES = ["share_reform_registered", "csrc_acceptance", "domestic_listing", "overseas_listing",
         "acquisition_relocation", "hq_relocation", "neeq_listing", "regional_equity_listing"]


def enterprise(rng: random.Random) -> dict:
    events = []
    for _ in range(rng.randint(1, 4)):
        kind = rng.choice(TYPES)
        event = {"type": kind, "date": f"{rng.randint(2021, 2026)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"}
        if kind == "overseas_listing":
            event["repatriated_funds"] = f"{rng.randint(0, 400_000_000)}.{rng.randint(0, 99):02d}"
        if kind == "regional_equity_listing":
            event["exchange"] = rng.choice(["qilu", "qingdao_blue_ocean"])
        events.append(event)
    return {"policy": "listing", "kind": "enterprise", "facts": {"name": "企业", "events": events,
            "paid": [{"type": rng.choice(TYPES), "amount": "100000"}] if rng.random() < 0.3 else []}}


def main() -> None:
    rng = random.Random(20220429)
    cases = [json.loads(json.dumps(enterprise(rng)), parse_float=Decimal) for _ in range(2000)]
    backends = {name: load_policies(Path(__file__).resolve().parent.parent / "policies", backend=name)
                for name in ("durable", "python")}
    rates: dict[str, list[float]] = {name: [] for name in backends}
    for _ in range(3):
        for name, policies in backends.items():
            start = time.perf_counter()
            for case in cases:
                evaluate(policies, case)
            rates[name].append(len(cases) / (time.perf_counter() - start))
    medians = {name: statistics.median(r) for name, r in rates.items()}
    for name, rate in medians.items():
        print(f"{name:8s} {rate:10.0f} cases/s  (rounds: {', '.join(f'{r:.0f}' for r in rates[name])})")
    print(f"durable / python = {medians['durable'] / medians['python']:.2f}")


if __name__ == "__main__":
    main()
