"""Indicator tables: measurable targets written once as data, compiled into ordinary rules.

A case kind may carry ``indicators:`` instead of (or beside) hand-written rules: a table of numeric
targets (a figure to reach at least, at most, about (保持在 X 左右: within the tolerance either side)
or at least about (达到 X 左右: no lower than the tolerance below), by a target year or in every year)
and of dated milestones.  A target the text only advocates (倡导) not met is a warning, not a violation.
``indicator_rules`` turns each row into a handful of mutually exclusive rules (met, on track, at risk,
not met, missing), each an ordinary rule with a condition in the expression language, so both
backends decide them like any other rule and every answer cites the row's article, quote and
interpretations.  Each finding names the indicator and its lead units.

The generated rule maps carry the row's position, so a problem in a row is reported at its line.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from ruamel.yaml.comments import CommentedMap

from .errors import Problem
from .yaml_source import key_position

# one status per generated rule: finding code and severity
SEVERITY = {"met": "info", "on_track": "info", "at_risk": "warning", "not_met": "violation", "missing": "warning"}
_DIRECTION_WORDS = {"at_least": "不低于", "at_most": "不高于", "about": "约", "reach_about": "达到约"}
_BANDED = ("about", "reach_about")  # directions that take the table's about_tolerance


# what the table must declare before its rows can be compiled (a missing key is a load error, never a crash)
_NEEDS = (("targets", ("figures", "due")), ("milestones", ("milestones_fact", "reported_on")))


def indicator_rules(table: CommentedMap, display: str, problems: list[Problem]) -> list[CommentedMap]:
    """Return the rule maps generated from a case's ``indicators`` table."""
    rules: list[CommentedMap] = []
    before = len(problems)
    for rows, keys in _NEEDS:
        for key in keys:
            if table.get(rows) and key not in table:
                line, col = key_position(table, rows)
                problems.append(Problem(display, line, col, f"有 {rows} 时，indicators 需要“{key}”"))
    if "baselines" in table and not {"progress", "base_year"} <= set(table):
        line, col = key_position(table, "baselines")
        problems.append(Problem(display, line, col, "有 baselines 时，indicators 需要“progress”和“base_year”"))
    if len(problems) > before:
        return []
    for row in table.get("targets") or []:
        if not row.get("every_year") and "target_year" not in row and "{target_year}" in str(table["due"]):
            line, col = key_position(row, "id")
            problems.append(Problem(display, line, col, "指标需要 target_year（目标年度）或 every_year: true"))
            continue
        if row.get("direction") in _BANDED and "about_tolerance" not in table:
            line, col = key_position(row, "direction")
            problems.append(Problem(display, line, col, "“左右”类指标需要表级的 about_tolerance（允许偏差）"))
            continue
        if "baseline" in str(row["target"]) and "baselines" not in table:
            line, col = key_position(row, "target")
            problems.append(Problem(display, line, col, "目标引用了 baseline，但表级没有 baselines（基数事实）"))
            continue
        rules.extend(_placed(rule, row) for rule in _target(table, row))
    for row in table.get("milestones") or []:
        rules.extend(_placed(rule, row) for rule in _milestone(table, row))
    return rules


def _target(table: CommentedMap, row: CommentedMap) -> list[dict[str, Any]]:
    """The rules of one numeric target."""
    ident = str(row["id"])
    f = f"{table['figures']}.{ident}"
    b = f"{table['baselines']}.{ident}" if "baselines" in table else None
    target = _substitute(row["target"], b)
    every_year = bool(row.get("every_year", False))
    due = "true" if every_year else str(table["due"]).replace("{target_year}", str(row.get("target_year", "")))
    uses_baseline = b is not None and "baseline" in str(row["target"])
    unit = row.get("unit", "")
    words = _DIRECTION_WORDS[row["direction"]]
    lead = "、".join(row["lead_units"])
    when = "每个监测年度" if every_year else str(table.get("due_label", "")).replace(
        "{target_year}", str(row.get("target_year", "")))
    head = f"{row['label']}：{table['period']}监测值 {{{f}}}{unit}，目标{words} {{{target}}}{unit}"
    if row["direction"] == "about":
        head += f"（±{table['about_tolerance']}）"
    elif row["direction"] == "reach_about":
        head += f"（不低于 {{{target} - {Decimal(str(table['about_tolerance']))}}}{unit} 即达到）"
    head += f"（{when}）" if when else ""
    tail = f"。牵头单位：{lead}"
    missing = f"{f} == null" + (f" or {b} == null" if uses_baseline else "")
    # a missing figure used no reading of the text (except that a base-year figure is needed at all)
    rules = [_rule(row, "missing", missing,
                   f"{row['label']}：未报送监测值" + ("或基数" if uses_baseline else "") + f"，不视为达标{tail}",
                   own=uses_baseline)]
    ok, bad = _sides(row["direction"], f, target, table.get("about_tolerance"))
    rules.append(_rule(row, "met", ok, f"{head}，已达标{tail}"))
    # a target the text only advocates (倡导实现) is no duty: not reaching it is said, not found a violation
    severity, advocated = ("warning", "倡导实现的目标") if row.get("advocated") else (None, "")
    if every_year:
        rules.append(_rule(row, "not_met", bad, f"{head}，{advocated}未达标{tail}", severity=severity))
        return rules
    rules.append(_rule(row, "not_met", f"{_group(bad)} and ({due})", f"{head}，目标年度已到，{advocated}未达标{tail}",
                       severity=severity))
    early = f"{_group(bad)} and not ({due})"
    risk_ids = list(table.get("at_risk_interpretations") or [])
    if row["direction"] in _BANDED or b is None:
        rules.append(_rule(row, "at_risk", early, f"{head}，尚未达到目标{tail}", risk_ids))
        return rules
    worse, better_or_same = (">", "<=") if row["direction"] == "at_most" else ("<", ">=")
    path = f"{b} + ({target} - {b}) * ({table['progress']})".replace("{target_year}", str(row["target_year"]))
    base = f" {table['base_year']} 年基数 {{{b}}}{unit} "
    rules.append(_rule(row, "not_met", f"{early} and {f} {worse} {b}",
                       f"{head}，较{base}倒退，未达标{tail}", risk_ids, suffix="regressed"))
    rules.append(_rule(row, "on_track", f"{early} and {f} {better_or_same} {b} and {f} {better_or_same} {path}",
                       f"{head}，尚未达到目标，但不落后于自{base}起的直线进度（本年应达 {{{path}}}{unit}）"
                       f"{tail}", risk_ids))
    rules.append(_rule(row, "at_risk", f"{early} and {f} {better_or_same} {b} and {f} {worse} {path}",
                       f"{head}，落后于自{base}起的直线进度（本年应达 {{{path}}}{unit}）{tail}", risk_ids))
    if not uses_baseline:
        rules.append(_rule(row, "at_risk", f"{early} and {b} == null",
                           f"{head}，尚未达到目标，且未报送 {table['base_year']} 年基数，无法确认进度{tail}",
                           risk_ids, suffix="at_risk_no_baseline"))
    return rules


def _sides(direction: str, f: str, target: str, tolerance: Any) -> tuple[str, str]:
    """The conditions "on the right side of the target" and "on the wrong side" (both false on null)."""
    if direction == "at_least":
        return f"{f} >= {target}", f"{f} < {target}"
    if direction == "at_most":
        return f"{f} <= {target}", f"{f} > {target}"
    low, high = f"{target} - {Decimal(str(tolerance))}", f"{target} + {Decimal(str(tolerance))}"
    if direction == "reach_about":  # 达到 X 左右: reaching beyond X is reaching it
        return f"{f} >= {low}", f"{f} < {low}"
    return f"{f} >= {low} and {f} <= {high}", f"{f} < {low} or {f} > {high}"


def _milestone(table: CommentedMap, row: CommentedMap) -> list[dict[str, Any]]:
    """The rules of one dated milestone: done on time, done late, overdue, not yet due, not reported."""
    c = f"{table['milestones_fact']}.{row['id']}"
    deadline = f"param.{row['deadline']}"
    now = str(table["reported_on"])
    lead = "、".join(row["lead_units"])
    head = f"{row['label']}（期限 {{{deadline}}}）"
    tail = f"。牵头单位：{lead}"
    risk_ids = list(table.get("milestone_interpretations") or [])
    return [
        _rule(row, "missing", f"{c}.done == null", f"{head}：未报送完成情况，不视为完成{tail}", own=False),
        _rule(row, "met", f"{c}.done == true and {c}.date <= {deadline}", f"{head}：已于 {{{c}.date}} 完成{tail}",
              risk_ids),
        _rule(row, "not_met", f"{c}.done == true and {c}.date > {deadline}",
              f"{head}：于 {{{c}.date}} 完成，晚于期限{tail}", risk_ids, suffix="late"),
        _rule(row, "not_met", f"{c}.done == false and {now} > {deadline}",
              f"{head}：截至 {{{now}}} 尚未完成，已逾期{tail}", risk_ids),
        _rule(row, "at_risk", f"{c}.done == false and {now} <= {deadline}",
              f"{head}：截至 {{{now}}} 尚未完成，期限未到{tail}", risk_ids),
    ]


def _rule(row: CommentedMap, status: str, when: str, message: str, extra: list[str] | None = None,
          suffix: str | None = None, own: bool = True, severity: str | None = None) -> dict[str, Any]:
    """One generated rule: its id is the row's id and the status (``w_x:met``)."""
    interpretations = list(dict.fromkeys([*(row.get("interpretations") or [] if own else []), *(extra or [])]))
    rule: dict[str, Any] = {
        "id": f"{row['id']}:{suffix or status}", "article": row["article"], "text": row["text"], "when": when,
        "findings": [{"code": status, "severity": severity or SEVERITY[status], "message": message,
                      "data": {"indicator": str(row["id"]), "lead_units": list(row["lead_units"])}}],
    }
    if interpretations:
        rule["interpretations"] = interpretations
    return rule


def _substitute(target: Any, baseline: str | None) -> str:
    """A target as expression text: a number, or an expression over ``baseline`` (the base-year figure)."""
    text = str(target)
    if isinstance(target, (int, Decimal)):
        return text
    return f"({text.replace('baseline', baseline) if baseline else text})"  # kept whole inside longer conditions


def _group(condition: str) -> str:
    return f"({condition})" if " or " in condition else condition


def _placed(rule: dict[str, Any], row: CommentedMap) -> CommentedMap:
    """A rule map that reports its problems at the row it was generated from."""
    out = CommentedMap(rule)
    line, col = key_position(row, "id")
    out._yaml_set_line_col(line - 1, col - 1)
    for key in out:
        out._yaml_set_kv_line_col(key, [line - 1, col - 1, line - 1, col - 1])
    return out
