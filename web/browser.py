"""The policy browser's page model: every article of a version beside the rules, parameters,
interpretations and scenarios that implement or test it, built from ``engine.catalog`` and
``engine.coverage`` only, so that any family appears without changes here."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from engine import coverage
from engine.catalog import describe
from engine.policy import Family, Policy

from .readable import Vocabulary, readable

STATUS_LABELS = {"computed": "计算", "procedural": "程序", "declaratory": "宣示"}
RESULT_LABELS = {"passed": "通过", "failed": "失败", "skipped": "跳过", None: "未运行"}
IN_TOTAL = {1: "计入合计", 0: "只列示，不计入合计",
            -1: "从合计中减去：正数由被征收人支付，负数（如安置不足部分找回的差价）由征收部门支付"}
SEVERITY_LABELS = {"info": "提示", "warning": "注意", "violation": "违反"}


@dataclass
class Scenario:
    """One Gherkin scenario that restates an article, with its last result when the test run left one."""

    label: str
    result: str | None

    @property
    def feature(self) -> str:
        """Return the feature file name."""
        return self.label.split(": ", 1)[0]

    @property
    def name(self) -> str:
        """Return the scenario title."""
        return self.label.split(": ", 1)[-1]

    @property
    def result_label(self) -> str:
        """Return the result in Chinese (未运行 when there is none)."""
        return RESULT_LABELS.get(self.result, self.result or "未运行")


@dataclass
class ArticleView:
    """One article with everything that implements it."""

    id: str
    status: str
    text: str
    chapter: str
    note: str
    rules: list[dict[str, Any]] = field(default_factory=list)
    parameters: list[dict[str, Any]] = field(default_factory=list)
    interpretations: list[dict[str, Any]] = field(default_factory=list)
    scenarios: list[Scenario] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    validity: bool = False  # the version's validity window rests on this article

    @property
    def status_label(self) -> str:
        """Return the status in Chinese."""
        return STATUS_LABELS.get(self.status, self.status)


def load_results(path: Path) -> dict[str, str]:
    """Read the last feature run's outcomes (label -> passed|failed|skipped); none when absent or unreadable."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return {str(k): str(v["outcome"]) for k, v in data.get("scenarios", {}).items()}
    except (OSError, ValueError, AttributeError, KeyError, TypeError):
        return {}


def page(policy: Policy, family: Family, features: Path, results: dict[str, str]) -> dict[str, Any]:
    """Build the browser page of one version."""
    described = describe(policy)
    table = coverage.rows(policy, features / policy.family)
    ids = [a["id"] for a in described["articles"]]
    rules = {r["id"]: _rule(r, kind, policy, family)
             for kind, case in described["cases"].items() for r in case["rules"]}
    interpretations = {i["id"]: i for i in described["interpretations"]}
    views = {a["id"]: ArticleView(a["id"], a["status"], a["text"], a.get("chapter", ""), a.get("note", ""))
             for a in described["articles"]}
    for row in table:
        view = views[row.article]
        view.rules = [rules[r] for r in row.rules if r in rules]
        view.validity = "validity" in row.rules
        view.interpretations = [interpretations[i] for i in row.interpretations]
        view.scenarios = [Scenario(s, results.get(s)) for s in row.scenarios]
        view.missing = row.missing
    for name, parameter in described["parameters"].items():
        cited = {a for v in parameter["values"] for a in coverage.references(v["article"], ids)}
        for article in cited:
            views[article].parameters.append({"name": name, **parameter})
    articles = list(views.values())
    scenarios = {s.label: s for a in articles for s in a.scenarios}
    return {
        "policy": described,
        "chapters": _chapters(articles),
        "counts": {s: sum(1 for a in articles if a.status == s) for s in STATUS_LABELS},
        "not_covered": [a for a in articles if a.missing],
        "results": {label: sum(1 for s in scenarios.values() if s.result_label == label)
                    for label in ("通过", "失败", "未运行")},
        "interpretations": described["interpretations"],
        "kinds": {k: family.kinds[k].description for k in described["cases"] if k in family.kinds},
        "derived": _derived(policy, family),
        "quantities": _quantities(policy, family),
    }


def _derived(policy: Policy, family: Family) -> list[dict[str, str]]:
    """List the named intermediate values rules use (derived facts), each in readable form."""
    found = []
    for kind, case in policy.cases.items():
        vocabulary = Vocabulary.of(policy, family.kinds[kind].facts if kind in family.kinds else {}, kind)
        for name, expr in case.derived:
            found.append({"kind": kind, "name": name, "source": expr.source,
                          "readable": readable(expr.source, vocabulary)})
    return found


def _quantities(policy: Policy, family: Family) -> list[dict[str, Any]]:
    """List the quantities amounts are computed from: each one's starting value and the rules that set another."""
    found = []
    for kind, case in policy.cases.items():
        vocabulary = Vocabulary.of(policy, family.kinds[kind].facts if kind in family.kinds else {}, kind)
        for name, expr, label, reported in case.quantities:
            found.append({"kind": kind, "name": name, "label": label, "source": expr.source, "reported": reported,
                          "readable": readable(expr.source, vocabulary),
                          "set_by": [r.id for r in case.rules if name in r.sets]})
    return found


def _chapters(articles: list[ArticleView]) -> list[tuple[str, list[ArticleView]]]:
    chapters: list[tuple[str, list[ArticleView]]] = []
    for article in articles:
        if not chapters or chapters[-1][0] != article.chapter:
            chapters.append((article.chapter, []))
        chapters[-1][1].append(article)
    return chapters


def _rule(rule: dict[str, Any], kind: str, policy: Policy, family: Family) -> dict[str, Any]:
    """Add readable forms of a described rule's condition and amounts."""
    case_kind = family.kinds.get(kind)
    facts = case_kind.facts if case_kind is not None else {}
    vocabulary = Vocabulary.of(policy, facts, kind)
    scope = rule["for_each"]
    return {
        **rule,
        "kind": kind,
        "when_readable": readable(rule["when"], vocabulary, scope),
        "for_each_label": _label(facts, scope),
        "sets": [{"name": name, "label": vocabulary.names.get(name, name), "source": source,
                  "readable": readable(source, vocabulary, scope)} for name, source in rule["sets"].items()],
        "items": [{**item, "readable": readable(item["amount"], vocabulary, scope),
                   "in_total_label": IN_TOTAL.get(item["in_total"], str(item["in_total"]))} for item in rule["items"]],
        "findings": [{**f, "severity_label": SEVERITY_LABELS.get(f["severity"], f["severity"])}
                     for f in rule["findings"]],
        "status_label": case_kind.status_label(rule["status"]) if case_kind and rule.get("status") else None,
    }


def _label(facts: dict[str, Any], path: str | None) -> str:
    decl = facts.get(path) if path else None
    return str(decl.label or path) if decl is not None else (path or "")
