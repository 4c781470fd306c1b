"""The article coverage report: for every article of an instrument, what the system does with it.

For each article of a family's latest version (its ``articles`` catalogue): whether it is computed,
procedural or declaratory, the rules that cite it, the Chinese scenarios that restate it, and the
interpretations of its text.  Scenarios are found by reading ``features/<family>/*.feature``: a
feature covers the articles named in its title (or, when the title names none, in its description).
A scenario covers the articles named in its own title, and of its feature's articles those its steps
and examples name (a scenario of 第二十八条第二十九条第一款第二十条 that checks 依据包含 "第二十条" is
listed under 第二十条 only); one whose steps name none of them covers all its feature's articles.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .policy import Policy, PolicySet

ARTICLE_TOKEN = re.compile(r"第[一二三四五六七八九十百零]+条")
ARTICLE_RANGE = re.compile(r"(第[一二三四五六七八九十百零]+条)至(第[一二三四五六七八九十百零]+条)")
_FEATURE = re.compile(r"^\s*(功能|Feature):\s*(.*)$")
_SCENARIO = re.compile(r"^\s*(场景大纲|场景|剧本大纲|剧本|Scenario Outline|Scenario):\s*(.*)$")


@dataclass
class Row:
    """One article's line in the report."""

    article: str
    status: str
    note: str
    rules: list[str] = field(default_factory=list)
    scenarios: list[str] = field(default_factory=list)
    interpretations: list[str] = field(default_factory=list)

    @property
    def missing(self) -> list[str]:
        """What a computed article still lacks (no rule, no scenario)."""
        if self.status != "computed":
            return []
        return [what for what, have in (("规则", self.rules), ("场景", self.scenarios)) if not have]


def references(text: str, ids: list[str]) -> list[str]:
    """Return the catalogue ids a text refers to.

    第三条 is not found inside 第三十三条, and a one-character section id (一) only when it is the
    whole reference: 一 is not found inside 一次性.
    """
    tokens = set(ARTICLE_TOKEN.findall(text))
    for first, last in ARTICLE_RANGE.findall(text):  # 第三十四条至第四十条: every article between, as listed
        if first in ids and last in ids:
            tokens.update(i for i in ids[ids.index(first):ids.index(last) + 1] if _is_article(i))

    def named(i: str) -> bool:
        if _is_article(i):
            return i in tokens
        return i in text if len(i) > 1 else text.strip() == i

    return [i for i in ids if named(i)]


@functools.lru_cache(maxsize=4096)
def _is_article(i: str) -> bool:
    # asked for every catalogue id at every citation of a load: the same few hundred ids
    return ARTICLE_TOKEN.fullmatch(i) is not None


def scenarios(features: Path) -> list[tuple[str, list[str]]]:
    """Return (scenario label, [feature title, scenario title, feature description, scenario body]) for every
    scenario under a folder: the texts that name its articles."""
    found: list[tuple[str, list[str]]] = []
    for path in sorted(features.glob("*.feature")):
        title, in_description = "", False
        description: list[str] = []
        for line in path.read_text(encoding="utf-8").splitlines():
            feature = _FEATURE.match(line)
            scenario = _SCENARIO.match(line)
            if feature:
                title, in_description = feature.group(2).strip(), True
            elif scenario:
                in_description = False
                name = scenario.group(2).strip()
                found.append((f"{path.name}: {name}", [title, name, "\n".join(description), ""]))
            elif in_description:
                description.append(line)
            elif found and found[-1][0].startswith(f"{path.name}: "):  # a step, an example row or a comment
                found[-1][1][3] += line + "\n"
    return found


def report(policies: PolicySet, family: str, features_root: Path) -> list[Row]:
    """Build the coverage rows of a family's latest version of each instrument."""
    return [row for policy in policies.families[family].current() for row in rows(policy, features_root / family)]


def rows(policy: Policy, features: Path) -> list[Row]:
    """Build the coverage rows of one version against the features in a folder."""
    ids = [a.id for a in policy.articles]
    table = {a.id: Row(a.id, a.status, a.note) for a in policy.articles}
    validity = "、".join(v for k, v in policy.validity.items() if k.endswith("article"))
    for article in references(validity, ids):
        table[article].rules.append("validity")  # the version's validity window, applied by version selection
    for case in policy.cases.values():
        for rule in case.rules:
            cited = [rule.article, *rule.articles, *(a for i in rule.items for a in i.articles),
                     *(a for f in rule.findings for a in f.articles)]
            for article in dict.fromkeys(references("、".join(cited), ids)):
                table[article].rules.append(rule.id)
    for interpretation in policy.interpretations.values():
        for article in references(interpretation.article, ids):
            table[article].interpretations.append(interpretation.id)
    for label, (title, name, description, body) in scenarios(features):
        named = references(title, ids) or references(description, ids)
        checked = set(references(body, ids))
        named = [a for a in named if a in checked] or named  # the feature's articles this scenario checks
        for article in dict.fromkeys(named + references(name, ids)):
            table[article].scenarios.append(label)
    return list(table.values())


def as_text(family: str, policy: Policy, table: list[Row]) -> str:
    """Render the report as a plain table for the terminal and the README."""
    counts = {s: sum(1 for r in table if r.status == s) for s in ("computed", "procedural", "declaratory")}
    lines = [f"{family} {policy.version}（{policy.document['number']}）：计算 {counts['computed']} 条，"
             f"程序 {counts['procedural']} 条，宣示 {counts['declaratory']} 条",
             "条款 | 类别 | 规则 | 场景数 | 解释 | 缺少"]
    names = {"computed": "计算", "procedural": "程序", "declaratory": "宣示"}
    for r in table:
        lines.append(" | ".join([r.article, names[r.status], ", ".join(r.rules) or "—", str(len(r.scenarios)),
                                 ", ".join(r.interpretations) or "—", "、".join(r.missing) or ""]).rstrip(" |"))
    return "\n".join(lines)


def as_json(table: list[Row]) -> list[dict[str, Any]]:
    """Render the rows as JSON-ready dicts."""
    return [{**vars(r), "missing": r.missing} for r in table]
