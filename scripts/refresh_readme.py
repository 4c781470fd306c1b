"""Refresh the README's generated parts after a policy change: example answers, validate and coverage output.

Run: ``.venv/bin/python scripts/refresh_readme.py``.  ``tests/unit/test_readme.py`` fails until it is run.
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from engine import evaluate, load_policies  # noqa: E402


def replace_block(text: str, anchor: str, fence: str, body: str) -> str:
    """Replace the first fenced block of kind ``fence`` after ``anchor``."""
    start = text.index(f"```{fence}\n", text.index(anchor))
    end = text.index("\n```", start + len(fence) + 4)
    return text[:start] + f"```{fence}\n" + body + text[end:]


def targets_text(answer: dict) -> str:
    """Show a monitoring answer: one line per reported indicator, then how many were not reported."""
    lines = [f"{f['code']:9s} {f['indicator']}: {f['message']}" for f in answer["findings"] if f["code"] != "missing"]
    missing = sum(1 for f in answer["findings"] if f["code"] == "missing")
    used = ", ".join(i["id"] for i in answer["interpretations"])
    return "\n".join([*lines, f"missing   （其余 {missing} 个指标未报送，不视为达标）", f"解释：{used}"])


def main() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    policies = load_policies(ROOT / "policies", backend="durable")
    for example in ("listing-case.json", "household-swap.json", "interpretation-case.json",
                    "enterprise-policy-case.json"):
        request = json.loads((ROOT / "examples" / example).read_text(encoding="utf-8"), parse_float=Decimal)
        answer = evaluate(policies, request)
        old = re.search(r'"decision_id": "([0-9a-f]{32})"', readme[readme.index(f"@examples/{example}"):][:400])
        if old:
            answer = {"decision_id": old.group(1), **answer}
        readme = replace_block(readme, f"@examples/{example}", "json", json.dumps(answer, ensure_ascii=False, indent=2))
    project = json.loads((ROOT / "examples" / "project-case.json").read_text(encoding="utf-8"), parse_float=Decimal)
    findings = evaluate(policies, project)["findings"]
    readme = replace_block(readme, "examples/project-case.json\n", "text",
                           "\n".join(f"{f['severity']:9s} {f['code']}: {f['message']}" for f in findings))
    service = json.loads((ROOT / "examples" / "targets-service-2022-09-30.json").read_text(encoding="utf-8"),
                         parse_float=Decimal)
    readme = replace_block(readme, "@examples/targets-service-2022-09-30.json", "json",
                           json.dumps(evaluate(policies, service), ensure_ascii=False, indent=2))
    plan = json.loads((ROOT / "examples" / "targets-plan-2023.json").read_text(encoding="utf-8"), parse_float=Decimal)
    readme = replace_block(readme, "examples/targets-plan-2023.json\n", "text", targets_text(evaluate(policies, plan)))
    cli = [sys.executable, str(ROOT / "cli.py")]
    coverage = subprocess.run([*cli, "coverage", "expropriation"], capture_output=True, text=True).stdout.strip()
    readme = replace_block(readme, "## Article coverage report", "text",
                           "$ .venv/bin/lanshan-rules coverage expropriation\n" + coverage)
    reports = [f"$ .venv/bin/lanshan-rules coverage {family}\n"
               + subprocess.run([*cli, "coverage", family], capture_output=True, text=True).stdout.strip()
               for family in ("interpretation", "enterprise_policy")]
    readme = replace_block(readme, "### Provisions judged not computable", "text", "\n\n".join(reports))
    summary = subprocess.run([*cli, "validate"], capture_output=True, text=True).stdout.split("（sha256:")[0]
    readme = re.sub(r"(\$ \.venv/bin/lanshan-rules validate\n)通过：[^（\n]*（sha256:…）",
                    lambda m: f"{m[1]}{summary}（sha256:…）", readme)
    (ROOT / "README.md").write_text(readme, encoding="utf-8")


if __name__ == "__main__":
    main()
