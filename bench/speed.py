"""Single-thread evaluations per second on both backends, side by side in one run.

Run: ``.venv/bin/python bench/speed.py [N]``.  Seeded generators give the same N varied cases to both
backends; each backend is timed over three interleaved rounds and the median is reported with the
ratio.  (The full benchmark suite, with the service and a peer, is issue 4.)
"""
from __future__ import annotations

import json
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.cases import enterprise, household  # noqa: E402
from engine import CaseError, evaluate, load_policies  # noqa: E402


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    backends = {name: load_policies(ROOT / "policies", backend=name) for name in ("durable", "python")}
    for label, make in (("listing enterprises", enterprise), ("households", household)):
        rng = random.Random(20220401)
        cases = [json.loads(json.dumps(make(rng)), parse_float=Decimal) for _ in range(count)]
        rates: dict[str, list[float]] = {name: [] for name in backends}
        for _ in range(3):
            for name, policies in backends.items():
                start = time.perf_counter()
                for case in cases:
                    try:
                        evaluate(policies, case)
                    except CaseError:
                        pass
                rates[name].append(len(cases) / (time.perf_counter() - start))
        medians = {name: statistics.median(r) for name, r in rates.items()}
        print(f"{label}: " + "; ".join(f"{name} {rate:.0f}/s" for name, rate in medians.items())
              + f"; durable/python = {medians['durable'] / medians['python']:.2f}")


if __name__ == "__main__":
    main()
