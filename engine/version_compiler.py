"""Compiling one version file: meaning given to a file whose shape is already checked.

Parameters with their dated values, interpretations, the article catalogue (citations of articles
it does not have are refused), and per case kind: the governing date, derived values, quantities and
rules, each expression compiled and type-checked against the facts vocabulary, with every problem
reported at its line and column.
"""
from __future__ import annotations

import datetime
import hashlib
import re
from decimal import Decimal
from typing import Any

from ruamel.yaml.comments import CommentedMap

from .conditions import AtomNames, compile_condition
from .coverage import ARTICLE_TOKEN, references
from .errors import Problem
from .expressions import (
    ANY,
    BOOL,
    DATE,
    LIST,
    NUMBER,
    OBJECT,
    STRING,
    TYPE_NAMES,
    Compiler,
    ExpressionError,
    Symbols,
    TypeInfo,
    did_you_mean,
    parse,
    type_of,
)
from .facts import CaseKind
from .indicators import indicator_rules
from .money import DEFAULT_QUANTUM, DEFAULT_ROUNDING, format_decimal, policy_number_problem, to_decimal
from .policy import (
    PLACEHOLDER,
    VALIDITY_NAMES,
    Article,
    CaseRules,
    Deductions,
    FindingSpec,
    Interpretation,
    ItemSpec,
    Parameter,
    Phase,
    Policy,
    Rule,
    Template,
)
from .yaml_source import key_position, value_position


class VersionCompiler:
    """Gives meaning to one shape-checked version file."""

    def __init__(self, data: CommentedMap, family: str, kinds: dict[str, CaseKind], display: str,
                 problems: list[Problem], hashes: dict[str, str], filename: str):
        self.data = data
        self.family = family
        self.kinds = kinds
        self.display = display
        self.problems = problems
        self.hashes = hashes
        self.filename = filename
        self.count = len(problems)
        self.catalogue: list[str] = []

    def problem(self, node: Any, key: Any, message: str, at_key: bool = False) -> None:
        line, col = key_position(node, key) if at_key else value_position(node, key)
        self.problems.append(Problem(self.display, line, col, message))

    def compile(self) -> Policy | None:
        d = self.data
        if d["family"] != self.family:
            self.problem(d, "family", f"family 应与目录名一致：“{self.family}”")
        start, end = d["effective_from"], d.get("effective_to")
        if end is not None and end < start:
            self.problem(d, "effective_to", f"失效日 {end} 早于施行日 {start}")
        articles = self.articles()
        self.catalogue = [a.id for a in articles]
        params = self.parameters(start)
        interpretations = self.interpretations()
        cases: dict[str, CaseRules] = {}
        seen_ids: dict[str, int] = {}
        for kind_name, spec in d["cases"].items():
            if kind_name not in self.kinds:
                self.problem(d["cases"], kind_name, f"facts.yaml 中没有案件类型“{kind_name}”"
                             f"{did_you_mean(kind_name, self.kinds)}", at_key=True)
                continue
            cases[kind_name] = self.case(kind_name, spec, params, interpretations, seen_ids)
        self.uncited(interpretations, cases)
        for side in ("before", "after"):  # the reason of an answer outside the validity: only these are filled
            for name in PLACEHOLDER.findall(str(d["validity"][side])):
                if name.strip() not in VALIDITY_NAMES:
                    self.problem(d["validity"], side, f"validity.{side} 中的“{{{name}}}”不能填写：只可用 "
                                 f"{{date}}、{{effective_from}}、{{effective_to}}{did_you_mean(name, VALIDITY_NAMES)}")
        if len(self.problems) > self.count:
            return None
        files = {"facts.yaml": self.hashes.get("facts.yaml", ""), self.filename: self.hashes[self.filename]}
        combined = hashlib.sha256("".join(f"{k}:{v}\n" for k, v in sorted(files.items())).encode()).hexdigest()
        document = {k: (v.isoformat() if isinstance(v, datetime.date) else v) for k, v in d["document"].items()}
        return Policy(
            family=self.family, version=str(d["version"]), file=self.display, document=document,
            effective_from=start, effective_to=end, validity=dict(d["validity"]), parameters=params,
            interpretations=interpretations, cases=cases, content_hash="sha256:" + combined, files=files,
            line=key_position(d, "effective_from")[0],
            articles=articles,
        )

    def parameters(self, start: datetime.date) -> dict[str, Parameter]:
        params: dict[str, Parameter] = {}
        for name, spec in (self.data.get("parameters") or {}).items():
            values = []
            for day, v in spec["values"].items():
                self.cite(v, "article")
                value = v["value"]
                if isinstance(value, (int, str)) and not isinstance(value, bool):
                    try:
                        value = to_decimal(value)
                    except ValueError:
                        written = number_in_text(value) if isinstance(value, str) else None
                        if written is not None:  # "2%", "1500元", "5,000,000": a number the drafter decorated
                            self.problem(v, "value", f"参数“{name}”的取值“{value}”不是数值：{written[1]}")
                            value = written[0]  # checked as the number it was meant to be: no problems at its uses
                too_large = policy_number_problem(value) if isinstance(value, Decimal) else None
                if too_large:  # 1e999999 would fail every case that reads it, blaming the case
                    self.problem(v, "value", f"参数“{name}”的取值 {value}：{too_large}")
                if spec.get("unit") == "元" and isinstance(value, Decimal) and value < 0:
                    self.problem(v, "value", f"参数“{name}”的单位是元，金额不能为负数：{value}")
                values.append((day, value, v["article"], v["text"]))
            values.sort(key=lambda item: item[0])
            first_kind = _value_kind(values[0][1]) if values else None
            for day, value, *_ in values[1:]:  # its type is its first value's: a later 五百万 would meet a number
                if _value_kind(value) != first_kind:
                    self.problem(spec["values"][day], "value", f"参数“{name}”的取值应与 {values[0][0]} 的取值同为"
                                 f"{TYPE_NAMES.get(first_kind or ANY, '同一类型')}：收到“{value}”")
            if values and values[0][0] > start:
                self.problem(spec["values"], values[0][0],
                             f"参数“{name}”最早的取值自 {values[0][0]} 起，而本版本自 {start} 施行：施行日无取值",
                             at_key=True)
            params[name] = Parameter(name, spec["label"], spec.get("unit", ""), values)
        return params

    def cite(self, node: Any, key: Any) -> None:
        """Refuse a citation of an article the instrument's catalogue does not have (no invented numbers)."""
        ref = str(node[key])
        if not self.catalogue:
            return
        tokens = ARTICLE_TOKEN.findall(ref)
        unknown = [t for t in tokens if t not in self.catalogue]
        if unknown or not references(ref, self.catalogue):
            bad = unknown[0] if unknown else ref
            self.problem(node, key, f"引用的条款“{bad}”不在本文件的 articles 目录中{did_you_mean(bad, self.catalogue)}")

    def articles(self) -> list[Article]:
        found: list[Article] = []
        seen: set[str] = set()
        for a in self.data.get("articles") or []:
            if a["id"] in seen:
                self.problem(a, "id", f"重复的条款“{a['id']}”")
            seen.add(a["id"])
            found.append(Article(a["id"], a["status"], a["text"], a.get("chapter", ""), a.get("note", "")))
        return found

    def interpretations(self) -> dict[str, Interpretation]:
        found: dict[str, Interpretation] = {}
        for i in self.data.get("interpretations") or []:
            if i["id"] in found:
                self.problem(i, "id", f"重复的解释编号“{i['id']}”")
            self.cite(i, "article")
            found[i["id"]] = Interpretation(i["id"], i["article"], i["text"], i["reading"], i["alternative"],
                                            i.get("source", ""))
        return found

    def uncited(self, interpretations: dict[str, Interpretation], cases: dict[str, CaseRules]) -> None:
        """Refuse an interpretation no rule cites: answers name only those their rules cite, so it never shows."""
        if len(self.problems) > self.count:
            return  # a rule that failed to compile may be the one citing it
        cited = {name for case in cases.values() for r in case.rules for name in r.interpretations}
        for index, i in enumerate(self.data.get("interpretations") or []):
            if i["id"] not in cited:
                self.problem(self.data["interpretations"][index], "id",
                             f"解释“{i['id']}”没有任何规则引用：答复只列出所用规则引用的解释，它永远不会出现。"
                             f"请在适用它的规则的 interpretations 中写上“{i['id']}”，或删去这条解释")

    def undeductible(self, raw_rules: list[Any], allowed: tuple[str, ...], field: str) -> None:
        """Refuse an item whose code no payment can name: a payment of it could never be deducted from it."""
        for raw in raw_rules:
            for item in raw.get("items") or []:
                if str(item["code"]) not in allowed:
                    self.problem(item, "code", f"补助项目“{item['code']}”不是“{field}”的可选值：已拨付的这项补助"
                                 f"无法填写，也就无法扣减{did_you_mean(str(item['code']), allowed)}")

    def case(self, kind_name: str, spec: CommentedMap, params: dict[str, Parameter],
             interpretations: dict[str, Interpretation], seen_ids: dict[str, int]) -> CaseRules:
        kind = self.kinds[kind_name]
        facts = kind.symbols()
        param_types = {n: TypeInfo(_value_kind(p.values[0][1]) if p.values else ANY) for n, p in params.items()}
        symbols = Symbols(facts=facts, params=param_types)
        symbols.later = {**{n: "量" for n in spec.get("quantities") or {}},
                         **{n: "派生量" for n in spec.get("derived") or {}}}
        governing_list, governing_field = self.governing(spec, facts)
        derived = []
        for name, text in (spec.get("derived") or {}).items():
            if name in facts or name == "param":
                self.problem(spec["derived"], name, f"派生量“{name}”与事实同名", at_key=True)
            symbols.later.pop(name, None)
            expr = self.expression(spec["derived"], name, text, symbols)
            if expr is not None:
                derived.append((name, expr))
            # one that failed is still known (of any type): its uses are not reported again as unknown names
            symbols.derived[name] = TypeInfo(expr.type if expr is not None else ANY)
        quantities = []
        for name, q in (spec.get("quantities") or {}).items():
            if name in facts or name in symbols.derived:
                self.problem(spec["quantities"], name, f"量“{name}”与事实或派生量同名", at_key=True)
            symbols.later.pop(name, None)
            expr = self.expression(q, "expr", q["expr"], symbols)
            if expr is not None:
                quantities.append((name, expr, q.get("label", name), bool(q.get("report", False))))
            symbols.quantities[name] = TypeInfo(expr.type if expr is not None else ANY)
        atom_names = AtomNames()
        rules = []
        raw_rules = list(spec.get("rules") or [])
        if "indicators" in spec:
            raw_rules += indicator_rules(spec["indicators"], self.display, self.problems)
        elif not raw_rules:
            self.problem(spec, "governing_date", "案件类型需要 rules 或 indicators", at_key=True)
        for r in raw_rules:
            if r["id"] in seen_ids:
                self.problem(r, "id", f"重复的规则编号“{r['id']}”（首次出现在第 {seen_ids[r['id']]} 行）")
            else:
                seen_ids[r["id"]] = value_position(r, "id")[0]
            rule = self.rule(r, symbols, facts, interpretations, atom_names, {n for n, *_ in quantities})
            if rule is not None:
                rules.append(rule)
            if governing_list is not None and r.get("for_each") != governing_list:
                # each element is evaluated under the version (and the parameters) of its own date, in as many
                # runs as there are versions and parameter periods: a rule not on the elements would apply in each
                self.problem(r, "id", f"规则“{r['id']}”须 for_each: {governing_list}：本案件类型按 "
                                      f"{governing_list} 各元素自己的日期选择版本，不按元素的规则会在每个版本各算一次",
                             at_key=True)
        _check_phase_two(rules, self.problem, raw_rules)
        declared = self.kinds[kind_name].statuses
        for r in raw_rules:  # a misspelt status (not_compensible) would reach every system reading the answer
            if "status" in r and str(r["status"]["code"]) not in declared:
                code = str(r["status"]["code"])
                self.problem(r["status"], "code", f"结论“{code}”未在 facts.yaml 中 {kind_name} 的 statuses 中声明"
                                                  f"{did_you_mean(code, declared)}")
        deductions = None
        if "deductions" in spec:
            dd = spec["deductions"]
            lst = facts.get(dd["list"])
            if lst is None or lst.kind != LIST or lst.item is None or lst.item.fields is None:
                self.problem(dd, "list", f"“{dd['list']}”不是列表事实{did_you_mean(dd['list'], facts)}")
            else:
                for key, wanted in (("code", STRING), ("amount", NUMBER)):
                    if dd[key] not in lst.item.fields:
                        self.problem(dd, key, f"“{dd['list']}”的元素没有字段“{dd[key]}”"
                                     f"{did_you_mean(dd[key], lst.item.fields)}")
                    elif (found := lst.item.fields[dd[key]].kind) != wanted:  # swapped, or the wrong list: a 500
                        self.problem(dd, key, f"扣减的 {key} 应为{TYPE_NAMES[wanted]}字段，"
                                     f"“{dd['list']}.{dd[key]}”是{TYPE_NAMES.get(found, '其他类型')}")
                    elif key == "code" and (allowed := lst.item.fields[dd[key]].values) is not None:
                        self.undeductible(raw_rules, allowed, f"{dd['list']}.{dd[key]}")
            deductions = Deductions(dd["list"], dd["code"], dd["amount"], dd["article"], dd["text"])
        case = CaseRules(kind_name, governing_list, governing_field, derived, quantities, rules, deductions)
        case.order = {rule.id: n for n, rule in enumerate(rules)}
        for number in (1, 2):
            members = [r for r in rules if r.phase == number]
            if members or number == 1:
                phase = Phase(number, members)
                for rule in members:
                    scoped = phase.atoms.setdefault(rule.scope, [])
                    scoped.extend(a for a in rule.condition.atoms if a not in scoped)
                case.phases.append(phase)
        return case

    def governing(self, spec: CommentedMap, facts: dict[str, TypeInfo]) -> tuple[str | None, str]:
        path = str(spec["governing_date"])
        if "[]." in path:
            list_name, field_name = path.split("[].", 1)
            lst = facts.get(list_name)
            info = lst.item.fields.get(field_name) if lst and lst.item and lst.item.fields else None
            if info is None or info.kind != DATE:
                self.problem(spec, "governing_date", f"“{path}”不是列表元素中的日期事实")
            return list_name, field_name
        info = facts.get(path)
        # a whole-year fact (a monitoring year) governs by the year's last day
        if info is None or info.kind not in (DATE, NUMBER):
            self.problem(spec, "governing_date", f"“{path}”不是日期或年度事实{did_you_mean(path, facts)}")
        return None, path

    def expression(self, node: Any, key: Any, text: Any, symbols: Symbols, want: str | None = None) -> Any:
        source = str(text)
        try:
            expr = Compiler(symbols, source).compile(parse(source))
        except ExpressionError as e:
            self.problem(node, key, f"{e.message}（表达式：{source}）")
            return None
        if want is not None and expr.type not in (want, ANY):
            actual = TYPE_NAMES.get(expr.type, expr.type)
            self.problem(node, key, f"表达式“{source}”的结果应为{TYPE_NAMES[want]}，实际为{actual}")
            return None
        return expr

    def template(self, node: Any, key: Any, symbols: Symbols,
                 allowed: frozenset[str] = frozenset()) -> Template | None:
        text = str(node[key])
        parts: list[tuple[str, Any]] = []
        last = 0
        ok = True
        for m in PLACEHOLDER.finditer(text):
            parts.append((text[last:m.start()], None))
            inner = m.group(1).strip()
            if inner in allowed:
                parts.append(("", _Named(inner)))
            else:
                expr = self.expression(node, key, inner, symbols)
                if expr is not None and expr.type in (OBJECT, LIST):  # {event} would print a Python dict
                    advice = f"请写它的字段，如 {{{inner}.date}}" if expr.type == OBJECT else "请写其中各项的字段"
                    self.problem(node, key, f"说明中的“{{{inner}}}”是{TYPE_NAMES[expr.type]}，不能直接写出：{advice}")
                    expr = None
                ok = ok and expr is not None
                parts.append(("", expr))
            last = m.end()
        parts.append((text[last:], None))
        stray = next((c for lit, _ in parts for c in lit if c in "{}"), None)
        if stray is not None:  # "{event.date 完成" or "{}" would be printed as written in every answer
            self.problem(node, key, f"说明中的“{stray}”没有配对：占位写作 {{事实或表达式}}，如 {{event.date}}；"
                                    f"文字中不要单独使用 {{ 或 }}")
            return None
        return Template(text, [(lit, e) for lit, e in parts if lit or e is not None]) if ok else None

    def rule(self, r: CommentedMap, symbols: Symbols, facts: dict[str, TypeInfo],
             interpretations: dict[str, Interpretation], atom_names: AtomNames,
             quantity_names: set[str]) -> Rule | None:
        before = len(self.problems)
        self.cite(r, "article")
        for key, holder in (("articles", r), *(("articles", i) for i in r.get("items") or []),
                            *(("articles", f) for f in r.get("findings") or [])):
            for index in range(len(holder.get(key) or [])):
                self.cite(holder[key], index)
        scope = alias = None
        if "for_each" in r:
            scope = str(r["for_each"])
            lst = _type_at(facts, scope)
            if lst is None or lst.kind != LIST:
                self.problem(r, "for_each", f"“{scope}”不是列表事实{did_you_mean(scope, facts)}")
                return None
            alias = str(r.get("as") or "item")
            symbols = Symbols(symbols.facts, symbols.params, symbols.derived, symbols.quantities, alias, lst.item)
        elif "as" in r:
            self.problem(r, "as", "“as”只用于 for_each 规则")
        raw_when = r.get("when", "true")
        when = str(raw_when).lower() if isinstance(raw_when, bool) else str(raw_when)
        try:
            atom_names.scope = scope
            condition = compile_condition(when, Compiler(symbols, when), atom_names)
        except ExpressionError as e:
            self.problem(r, "when", f"{e.message}（条件：{when}）")
            return None
        # a condition that reads a quantity is decided after phase 1 has fixed the quantities
        phase = 2 if any(n.split(".")[0] in quantity_names for n in condition.names) else 1
        if phase == 2 and r.get("sets"):
            self.problem(r, "sets", "条件使用了量（quantities）的规则不能再设定量：量在第一阶段规则判定后即已确定")
        for name in r.get("interpretations") or []:
            if name not in interpretations:
                self.problem(r["interpretations"], list(r["interpretations"]).index(name),
                             f"解释“{name}”未在 interpretations 中定义{did_you_mean(name, interpretations)}")
        sets = {}
        for name, text in (r.get("sets") or {}).items():
            if name not in quantity_names:
                self.problem(r["sets"], name, f"“{name}”不是 quantities 中声明的量"
                             f"{did_you_mean(name, quantity_names)}", at_key=True)
                continue
            expr = self.expression(r["sets"], name, text, symbols)
            if expr is not None:
                sets[name] = expr
        articles = list(r.get("articles") or [r["article"]])
        items = []
        for item in r.get("items") or []:
            amount = self.expression(item, "amount", item["amount"], symbols, want=NUMBER)
            explanation = self.template(item, "explanation", symbols, allowed=frozenset({"amount"}))
            rounding = item.get("rounding") or {}
            quantum = to_decimal(rounding.get("quantum", DEFAULT_QUANTUM))
            shape = quantum.normalize().as_tuple()
            if shape.digits != (1,) or shape.sign or not isinstance(shape.exponent, int) or shape.exponent > 0:
                self.problem(rounding, "quantum", f"取整单位应为 1、0.1、0.01 等（按元、角、分取整），不能是 {quantum}")
            if amount is not None and explanation is not None:
                items.append(ItemSpec(
                    code=item["code"], label=item["label"], amount=amount, explanation=explanation,
                    quantum=quantum,
                    rounding=rounding.get("mode", DEFAULT_ROUNDING),
                    in_total={True: 1, False: 0, "subtract": -1}[item.get("in_total", True)],
                    articles=list(item.get("articles") or articles)))
        findings = []
        for f in r.get("findings") or []:
            message = self.template(f, "message", symbols)
            if message is not None:
                findings.append(FindingSpec(f["code"], f["severity"], message, list(f.get("articles") or articles),
                                            dict(f.get("data") or {})))
        status = None
        if "status" in r:
            reason = self.template(r["status"], "reason", symbols)
            if reason is not None:
                status = (str(r["status"]["code"]), reason)
        once = r.get("once", False)
        once_finding = None
        if isinstance(once, CommentedMap):
            once_finding = self.template(once, "finding", symbols)
            once = True
        if once and scope is None:
            self.problem(r, "once", "“once”只用于 for_each 规则（同类事件只计一次）")
        if len(self.problems) > before:
            return None
        return Rule(id=r["id"], article=r["article"], text=r["text"], condition=condition, scope=scope, alias=alias,
                    phase=phase,
                    once=bool(once), once_finding=once_finding, interpretations=list(r.get("interpretations") or []),
                    sets=sets, items=items, findings=findings, status=status, articles=articles)


class _Named:
    """A placeholder the engine fills itself (``{amount}``: the rounded item amount)."""

    def __init__(self, name: str):
        self.source = name
        self.type = STRING

    def __call__(self, env: Any) -> Any:
        raise KeyError(self.source)


def _type_at(facts: dict[str, TypeInfo], path: str) -> TypeInfo | None:
    """Return the static type of a dotted fact path, or None if it does not exist."""
    info: TypeInfo | None = None
    fields: dict[str, TypeInfo] | None = facts
    for part in path.split("."):
        if fields is None or part not in fields:
            return None
        info = fields[part]
        fields = info.fields
    return info


def _check_phase_two(rules: list[Rule], problem: Any, raw: Any) -> None:
    """A phase-2 rule may not be counted once across elements (once is settled in phase 1)."""
    for index, rule in enumerate(rules):
        if rule.phase == 2 and rule.once:
            problem(raw[index] if index < len(raw) else raw, "once", "条件使用了量的规则不能设“once”")


_DECORATED = re.compile(r"([+-]?\d[\d,，\s_]*(?:\.\d+)?)\s*([^\d\s]*)")


def number_in_text(text: str) -> tuple[Decimal, str] | None:
    """A parameter value written as a number with a percent sign, a unit or thousands separators: the
    number it was meant to be and how to write it; None for any other text (a real text value)."""
    found = _DECORATED.fullmatch(text.strip())
    if found is None:
        return None
    digits, suffix = found.group(1), found.group(2)
    plain = "".join(c for c in digits if c.isdigit() or c in "+-.")
    try:
        number = to_decimal(plain)
    except ValueError:
        return None
    if suffix in ("%", "％"):
        fraction = format_decimal((number / 100).normalize())
        return number / 100, f"百分数请写成小数：{text.strip()} 写 {fraction}"
    if suffix:
        return number, f"单位“{suffix}”写在 unit 中，取值只写数字：写 {plain}"
    return number, f"数值中不写千分位逗号、空格或下划线：写 {plain}"


def _value_kind(value: Any) -> str:
    kind = type_of(value)
    return kind if kind in (NUMBER, STRING, BOOL, DATE) else ANY
