"""Evaluating one case: validate its facts, pick the version by the governing date, decide, compute.

The order is fixed: facts are validated and defaulted; the governing date picks the version (the
clock never does); derived values are computed; the backend decides which rules hold; the fired
rules' ``sets`` fix the quantities; then items (each rounded as declared), findings, status and
interpretations are produced, and the total and any deductions are summed from the rounded items.
"""
from __future__ import annotations

import datetime
import decimal
import functools
import operator
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from marshmallow import ValidationError

from . import codegen
from .codegen import Writer
from .conditions import Atom, compile_encoders, holds
from .errors import CaseError, FieldError, UnknownFamily
from .expressions import Env, EvaluationError
from .facts import flatten_errors, value_at
from .money import CONTEXT, ROUNDING_MODES, format_decimal, round_amount, signed_sum, tidy
from .periods import UNCOUNTABLE
from .policy import VALIDITY_NAMES, CaseRules, Family, Phase, Policy, PolicySet, Rule, Template, show, template_code

ZERO = Decimal("0.00")


@dataclass
class Outcome:
    """What one version said about (part of) a case."""

    items: list[dict[str, Any]] = field(default_factory=list)
    amounts: list[tuple[Decimal, int]] = field(default_factory=list)  # rounded amount, sign in the total
    findings: list[dict[str, Any]] = field(default_factory=list)
    interpretations: dict[str, str] = field(default_factory=dict)
    quantities: dict[str, str | None] = field(default_factory=dict)
    status: str = "evaluated"
    reason: str | None = None
    trace: list[dict[str, Any]] = field(default_factory=list)


def evaluate(policies: PolicySet, request: Any, explain: bool = False) -> dict[str, Any]:
    """Evaluate one request ``{"policy", "kind", "facts"}`` and return the answer of PRODUCT §6."""
    family, kind_name, raw = _request(policies, request)
    kind = family.kinds[kind_name]
    try:
        facts = kind.load(raw)
    except ValidationError as e:
        raise CaseError(flatten_errors(e.messages)) from e
    family = family.deciding(kind_name)
    latest = family.versions[-1].cases.get(kind_name) if family.versions else None
    if latest is None:
        raise UnknownFamily(family.name, kind_name, sorted(policies.families), field="kind")
    if latest.governing_list is None:
        answer = _evaluate_on_one_date(family, kind_name, facts, latest.governing_field, explain)
    else:
        answer = _evaluate_per_element(family, kind_name, facts, latest.governing_list, latest.governing_field,
                                       explain)
    if answer["policy"] is None and latest.deductions is not None:
        # nothing granted, but amounts already paid are still reported and deducted (PRODUCT §4): the
        # latest version says how
        _deduct(answer, Outcome(), facts, latest, ZERO)
    if not explain:
        answer["trace"] = []
    return answer


_REQUEST_KEYS = frozenset(("policy", "kind", "facts"))


def _request(policies: PolicySet, request: Any) -> tuple[Family, str, Any]:
    """Check the request around the facts; every problem there comes back together with the facts' own
    problems (when the family and kind are known), so that a case is fixed in one go. An unknown family
    or kind alone is ``UnknownFamily`` (404); with other problems it is one more problem of the 422."""
    if not isinstance(request, dict):
        raise CaseError([FieldError("", "请求体应为 JSON 对象：{\"policy\", \"kind\", \"facts\"}")])
    errors = [FieldError(k, "未知字段") for k in request if k not in _REQUEST_KEYS]
    name, kind = request.get("policy"), request.get("kind")
    if "facts" not in request:
        errors.append(FieldError("facts", "必填字段"))
    if not isinstance(name, str):
        errors.append(FieldError("policy", "必填字段：政策族名称，如 \"listing\"" if name is None
                                 else "应为文本：政策族名称，如 \"listing\""))
        raise CaseError(errors)
    family = policies.families.get(name)
    if family is None:
        unknown = UnknownFamily(name, kind if isinstance(kind, str) else None, sorted(policies.families))
        if errors:
            raise CaseError([*errors, FieldError("policy", str(unknown))])
        raise unknown
    if kind is not None and not isinstance(kind, str):
        errors.append(FieldError("kind", "应为文本"))
        kind = None
    if kind is None:
        if len(family.kinds) != 1:
            if not any(e.path == "kind" for e in errors):
                errors.append(FieldError("kind", f"必填字段：可选 {' | '.join(family.kinds)}"))
            raise CaseError(errors)
        kind = next(iter(family.kinds))
    if kind not in family.kinds:
        unknown = UnknownFamily(name, kind, [f"{name}/{k}" for k in family.kinds], field="kind")
        if errors:
            raise CaseError([*errors, FieldError("kind", str(unknown))])
        raise unknown
    if errors:
        if "facts" in request:
            try:
                family.kinds[kind].load(request["facts"])
            except ValidationError as e:
                errors.extend(flatten_errors(e.messages))
        raise CaseError(errors)
    return family, kind, request["facts"]


def _evaluate_on_one_date(family: Family, kind: str, facts: dict[str, Any], field_name: str,
                          explain: bool) -> dict[str, Any]:
    day = facts[field_name]
    if isinstance(day, int):  # a monitoring year: its last day governs
        try:
            day = datetime.date(day, 12, 31)
        except ValueError as e:
            raise CaseError([FieldError(f"facts.{field_name}", f"年度超出范围：{day}")]) from e
    policy = family.for_day(day)
    if policy is None or kind not in policy.cases:
        return _no_policy(family, [day], day)
    outcome = _run(policy, policy.cases[kind], facts, day, Once(), explain)
    return _answer(policy, day, outcome, facts, policy.cases[kind])


def _evaluate_per_element(family: Family, kind: str, facts: dict[str, Any], list_name: str, field_name: str,
                          explain: bool) -> dict[str, Any]:
    elements = list(enumerate(facts.get(list_name) or []))
    elements.sort(key=lambda pair: pair[1][field_name])  # earliest first: "once" goes to the first event
    groups: dict[str, tuple[Policy, list[tuple[int, Any]]]] = {}
    outside: list[tuple[int, datetime.date]] = []
    for index, element in elements:
        policy = family.for_day(element[field_name])
        if policy is None or kind not in policy.cases:
            outside.append((index, element[field_name]))
        else:
            groups.setdefault(policy.version, (policy, []))[1].append((index, element))
    if not groups:
        return _no_policy(family, [d for _, d in outside], elements[-1][1][field_name] if elements else None)
    merged = Outcome()
    granted = Once(dated=(list_name, field_name))
    used: list[Policy] = []
    for policy, members in sorted(groups.values(), key=lambda g: g[0].effective_from):
        for epoch in _by_parameter_epoch(policy, members, field_name):  # each event reads the values of its date
            day = max(e[field_name] for _, e in epoch)
            part = _run(policy, policy.cases[kind], facts, day, granted, explain, (list_name, epoch))
            _merge(merged, part)
        used.append(policy)
    for index, day in outside:
        merged.findings.append({
            "code": "no_policy_in_force", "severity": "warning",
            "message": f"{list_name}[{index}]：{_not_in_force_reason(family, day)}",
            "articles": [_validity_article(family, day)],
        })
    last = used[-1]
    in_force_days = [e[field_name] for _, (p, members) in groups.items() for _, e in members]
    answer = _answer(last, max(in_force_days), merged, facts, last.cases[kind])
    answer["governing_dates"] = {f"{list_name}[{i}]": e[field_name].isoformat() for i, e in sorted(elements)}
    if len(used) > 1:
        answer["versions_used"] = [p.summary() for p in used]
    return answer


def _by_parameter_epoch(policy: Policy, members: list[tuple[int, Any]], field_name: str) -> list[list[tuple[int, Any]]]:
    """Split a version's elements (earliest first) where a parameter takes a new value between their dates, so
    that each is evaluated with the parameters of its own date (a rate amended in 2025 does not reach back to an
    event of 2024); a version whose parameters never change keeps them together."""
    if policy.parameters_fixed:
        return [members]
    epochs: dict[datetime.date, list[tuple[int, Any]]] = {}
    for index, element in members:
        epochs.setdefault(policy.parameter_epoch(element[field_name]), []).append((index, element))
    return list(epochs.values())


def _merge(into: Outcome, part: Outcome) -> None:
    into.items.extend(part.items)
    into.amounts.extend(part.amounts)
    into.findings.extend(part.findings)
    into.interpretations.update(part.interpretations)
    into.quantities.update(part.quantities)
    into.trace.extend(part.trace)
    if part.status != "evaluated" and into.status == "evaluated":
        into.status, into.reason = part.status, part.reason


def _run(policy: Policy, case: CaseRules, facts: dict[str, Any], day: datetime.date,
         granted: Once,
         explain: bool, members: tuple[str, list[tuple[int, Any]]] | None = None) -> Outcome:
    """Evaluate one version's rules for a case (or for the elements of the governing list it covers)."""
    params = policy.parameters_on(day)
    env = Env(facts=facts, params=params)
    gaps: dict[str, EvaluationError] = {}  # derived periods the holiday calendar cannot count yet
    try:
        for name, expr in case.derived:
            if gaps and expr.names & gaps.keys():  # computed from such a period: as unknown as it
                gaps[name] = gaps[next(iter(expr.names & gaps.keys()))]
                env.derived[name] = None
                continue
            try:
                env.derived[name] = expr.fn(env)
            except EvaluationError as e:
                if not isinstance(e.__cause__, UNCOUNTABLE):
                    raise
                gaps[name] = e  # refused below, only if a verdict or a figure of this case needs it
                env.derived[name] = None
    except EvaluationError as e:
        raise _computation_error(e, None) from e
    lists = _elements(case, facts, members)
    outcome = Outcome()
    with case.backend.session(case.handle) as decide:
        first = _decide(case.phases[0], decide, env, lists, granted, outcome, explain)
        _quantities(case, first, env, outcome)
        later = [hit for phase in case.phases[1:] for hit in _decide(phase, decide, env, lists, granted, outcome,
                                                                     explain)]
    chosen = first
    if later:  # each phase's hits are in the file's order already; together they are sorted again
        chosen = first + later
        chosen.sort(key=lambda hit: case.order[hit[0].id])  # answers list items in the order of the file
    if gaps:
        _refuse_if_needed(case, chosen, env, gaps)
    for rule, index, element in chosen:
        env.element = element
        _yield(rule, index, env, outcome)
    env.element = None
    if outcome.status != "evaluated":  # nothing is compensated: no items, and no area or price to show
        outcome.items.clear()
        outcome.amounts.clear()
        outcome.quantities = {name: None for name in outcome.quantities}
    return outcome


def _refuse_if_needed(case: CaseRules, chosen: list[tuple[Rule, int | None, Any]], env: Env,
                      gaps: dict[str, EvaluationError]) -> None:
    """Raise the calendar's error when a period it cannot count (a year not yet published) decides or shows
    anything in this answer: a rule reading it that holds, or could hold for some last day; a quantity or a
    chosen rule's output reading it. A period no verdict needs (a document out of scope) refuses nothing.
    Never a guess: an unknown last day is tried as the earliest and the latest date there is."""
    unknown = gaps.keys()
    for _name, expr, _label, _report in case.quantities:
        if expr.names & unknown:
            raise _computation_error(gaps[next(iter(expr.names & unknown))], None)
    fired = {rule.id for rule, _, _ in chosen}
    for rule in case.rules:
        needed = rule.condition.names & unknown
        if rule.id in fired:
            needed = needed | (rule.output_names & unknown)
        elif needed and not _could_hold(rule, env, unknown):
            continue
        if needed:
            raise _computation_error(gaps[next(iter(needed))], rule)


def _could_hold(rule: Rule, env: Env, unknown: Any) -> bool:
    """Tell whether a rule's condition holds with the unknown periods ending on the earliest or the latest date."""
    if rule.scope is not None:  # decided per element: not tried, taken as needing the period
        return True
    try:
        for extreme in (datetime.date.min, datetime.date.max):
            for name in unknown:
                env.derived[name] = extreme
            if holds(rule.condition.tree, {a.field: a.encode(env) for a in rule.condition.atoms}):
                return True
    except Exception:  # noqa: BLE001 - arithmetic past the extremes: taken as needing the period
        return True
    finally:
        for name in unknown:
            env.derived[name] = None
    return False


def _decide(phase: Phase, decide: Any, env: Env, lists: dict[str, list[tuple[int, Any]]],
            granted: Once, outcome: Outcome, explain: bool) -> list[tuple[Rule, int | None, Any]]:
    """Compute one phase's atoms, let the backend decide, and return the rules that apply, per element."""
    ordered = None if explain else getattr(decide, "ordered", None)
    found = ordered(phase.number, env, lists) if ordered is not None else None
    if found is not None:  # a backend that reads the case itself: no atoms to compute, only the order to keep
        return _in_file_order(phase, found, env, granted, outcome)
    scopes = phase.compiled or _compile_atoms(phase)
    batch: list[tuple[str | None, int | None, Atoms]] = [(None, None, Atoms(scopes[None], env))]
    for scope, atoms in scopes.items():
        if scope is None:
            continue
        for position, member in lists.get(scope, []):
            element_env = Env(env.facts, env.params, env.derived, env.quantities, member)
            batch.append((scope, position, Atoms(atoms, element_env)))
    fired = decide(phase.number, batch)
    chosen: list[tuple[Rule, int | None, Any]] = []
    if explain:
        rules = phase.rules
    elif not fired:
        return chosen
    else:  # a rule that holds nowhere records nothing: only the fired ones, in the order of the file
        place = phase.position
        rules = [phase.rules[n] for n in sorted({place[i] for i, _ in fired if i in place})]
    for rule in rules:
        candidates = _CASE_ONLY if rule.scope is None else lists.get(rule.scope, ())
        for index, element in candidates:
            hit = (rule.id, index) in fired
            note = None
            if hit and rule.once and not granted.grant(rule, env, element, index):
                note = f"once: 已按 {rule.scope}[{granted.first[rule.id]}] 计发"
                _once_finding(outcome, rule, env, element, index, granted.first[rule.id])
                hit = False
            if hit:
                chosen.append((rule, index, element))
            if explain:
                outcome.trace.append(_trace(rule, index, hit, note, env, element))
    return chosen


def _in_file_order(phase: Phase, found: list[tuple[int, int | None, Any]], env: Env,
                   granted: Once, outcome: Outcome) -> list[tuple[Rule, int | None, Any]]:
    """The rules that hold, as ``_decide`` gives them (``found``: each rule's place among ``phase.rules``, the
    element's index and the element): by their place in the file, each rule's elements in list order, a ``once``
    rule granted to its first element only."""
    found.sort(key=_PLACE)  # stable: a rule's elements keep the order they are decided in (by date, for events)
    rules = phase.rules
    chosen: list[tuple[Rule, int | None, Any]] = []
    for place, index, element in found:
        rule = rules[place]
        if rule.once and not granted.grant(rule, env, element, index):
            _once_finding(outcome, rule, env, element, index, granted.first[rule.id])
            continue
        chosen.append((rule, index, element))
    return chosen


_PLACE = operator.itemgetter(0)
_CASE_ONLY: tuple[tuple[None, None]] = ((None, None),)  # where a rule on the case itself is decided: no element


def _elements(case: CaseRules, facts: dict[str, Any],
              members: tuple[str, list[tuple[int, Any]]] | None) -> dict[str, list[tuple[int, Any]]]:
    lists: dict[str, list[tuple[int, Any]]] = {}
    for scope in case.scopes:
        if members is not None and members[0] == scope:
            lists[scope] = members[1]
        else:
            lists[scope] = list(enumerate(value_at(facts, scope) or []))
    return lists


class FactAtoms:
    """The atoms of one scope in one phase: their encoders, and one generated function computing them all."""

    def __init__(self, atoms: list[Atom]):
        self.encoders = {a.field: a.encode for a in atoms}
        self.compute_all = compile_encoders(atoms, self.by_closures)

    def by_closures(self, env: Env) -> dict[str, Any]:
        """Compute every atom with its encoder (the reference, and the errors' source)."""
        try:
            return {name: encode(env) for name, encode in self.encoders.items()}
        except EvaluationError as e:
            raise _computation_error(e, None) from e


def _compile_atoms(phase: Phase) -> dict[str | None, FactAtoms]:
    """Prepare a phase's atoms on first use (the case scope always has an entry)."""
    compiled = {scope: FactAtoms(atoms) for scope, atoms in phase.atoms.items()}
    compiled.setdefault(None, FactAtoms([]))
    phase.compiled = compiled
    return compiled


class Atoms(dict[str, Any]):
    """The atom fields of one fact, each computed the first time a backend reads it.

    The closures of the Python backend short-circuit, so most atoms of a rule that fails early are
    never computed (its generated code reads ``env`` directly); durable_rules needs them all and
    calls ``complete``.
    """

    __slots__ = ("atoms", "env")

    def __init__(self, atoms: FactAtoms, env: Env):
        super().__init__()
        self.atoms = atoms
        self.env = env

    def __missing__(self, field_name: str) -> Any:
        try:
            value = self.atoms.encoders[field_name](self.env)
        except EvaluationError as e:
            raise _computation_error(e, None) from e
        self[field_name] = value
        return value

    def complete(self) -> dict[str, Any]:
        """Compute every field (for a backend that needs the whole fact); encoders are pure, so any
        field already read is simply computed again, with the same value."""
        return self.atoms.compute_all(self.env)


def _quantities(case: CaseRules, chosen: list[tuple[Rule, int | None, Any]], env: Env, outcome: Outcome) -> None:
    overrides: dict[str, tuple[Rule, Any]] = {}
    for rule, _, element in chosen:
        for name in rule.sets:
            overrides[name] = (rule, element)  # a later rule in the file overrides an earlier one
    case.quantify(env, overrides, outcome.quantities)  # type: ignore[misc]  # made at load (compile_quantities)
    env.element = None


def _quantities_by_closures(case: CaseRules, env: Env, overrides: dict[str, tuple[Rule, Any]],
                            shown: dict[str, Any]) -> None:
    """Compute each quantity in order, by its default or by the rule that sets it: the reference, and the source of
    every error."""
    values = env.quantities
    for name, expr, _label, report in case.quantities:
        setter: Rule | None = None
        if name in overrides:
            setter, element = overrides[name]
            env.element = element
            expr = setter.sets[name]
        try:
            value = expr.fn(env)
        except EvaluationError as e:
            raise _computation_error(e, setter) from e
        values[name] = value
        if report:
            shown[name] = tidy(value, 2) if type(value) is Decimal else _display(value)


def compile_quantities(case: CaseRules) -> Callable[..., None]:
    """Make ``case.quantify`` (the loader does): one generated function computing every quantity's default in
    straight-line code, a quantity set by a rule that holds by that rule's expression; on any exception it hands
    over to ``_quantities_by_closures``. With code generation off, or when it cannot be generated, the reference."""
    def reference(env: Env, overrides: dict[str, tuple[Rule, Any]], shown: dict[str, Any]) -> None:
        env.quantities.clear()  # from the start, as at the first call: nothing the generated code set stays
        shown.clear()
        _quantities_by_closures(case, env, overrides, shown)

    case.quantify = _generated_or(reference, lambda: _generated_quantities(case, reference))
    return case.quantify


def _generated_quantities(case: CaseRules, reference: Callable[..., None]) -> Callable[..., Any] | None:
    w = Writer()
    codes = [w.expr(expr.fn) for _, expr, _, _ in case.quantities]
    values = w.env("quantities")
    # a quantity read by a later one is a local made at the start (None): it is set again as soon as computed
    local_of = {name: w.reads.get(f"{values}.get({w.bind(name)})") for name, *_ in case.quantities}
    changing = [local for local in local_of.values() if local is not None]
    if "element" in w.namespaces or any(re.search(rf"\b{local}\b", code) for code in w.reads for local in changing):
        return None  # read before it is set: a list element, or a field below a quantity's value
    body = []
    for (name, _expr, _label, report), code in zip(case.quantities, codes, strict=True):
        key = w.bind(name)
        body += [f"if {key} in overrides:", f"    v = {w.bind(_set_by_rule)}(env, overrides[{key}], {key})",
                 "else:", f"    v = {code}", f"{values}[{key}] = v"]
        if local_of[name] is not None:
            body.append(f"{local_of[name]} = v")
        if report:
            body.append(f"shown[{key}] = {w.bind(tidy)}(v, 2) if type(v) is {w.bind(Decimal)} else "
                        f"{w.bind(_display)}(v)")
    return w.function(body, reference, label=f"quantities {case.kind}", args="env, overrides, shown")


def _set_by_rule(env: Env, setter: tuple[Rule, Any], name: str) -> Any:
    """A quantity as the rule that sets it computes it, on that rule's element."""
    rule, element = setter
    env.element = element
    return rule.sets[name].fn(env)


def _computation_error(e: EvaluationError, rule: Rule | None) -> CaseError:
    where = f"规则 {rule.id}（{rule.article}）：" if rule else ""
    return CaseError([FieldError(f"facts.{e.path}" if e.path else "facts", f"{where}{e}")])


def _yield(rule: Rule, index: int | None, env: Env, outcome: Outcome) -> None:
    items, amounts, findings = rule.outputs(env, index)  # type: ignore[misc]  # made at load (compile_outputs)
    outcome.items.extend(items)
    outcome.amounts.extend(amounts)
    outcome.findings.extend(findings)
    if rule.status is not None and outcome.status == "evaluated":
        outcome.status, outcome.reason = rule.status[0], _rendered(rule.status[1], env, rule)
        outcome.findings.append({"code": outcome.status, "severity": "info", "message": outcome.reason,
                                 "articles": rule.articles})
    for name in rule.interpretations:
        outcome.interpretations[name] = rule.id


Outputs = tuple[list[dict[str, Any]], list[tuple[Decimal, int]], list[dict[str, Any]]]


def _outputs_by_closures(rule: Rule, index: int | None, env: Env) -> Outputs:
    """A holding rule's line items (each rounded as declared), their amounts, and its findings: the reference,
    and the source of every error."""
    items: list[dict[str, Any]] = []
    amounts: list[tuple[Decimal, int]] = []
    for item in rule.items:
        try:
            value = item.amount.fn(env)
        except EvaluationError as e:
            raise _computation_error(e, rule) from e
        if value is None:
            raise CaseError([FieldError(_path(rule, index, name), f"规则 {rule.id}（{rule.article}）计算"
                                        f"“{item.label}”需要此项，但它为空") for name in sorted(item.amount.names)])
        try:
            amount = round_amount(value, item.quantum, item.rounding)
        except ArithmeticError as e:
            message = f"规则 {rule.id}（{rule.article}）的“{item.label}”超出可计算范围"
            raise CaseError([FieldError("facts", message)]) from e
        text = format_decimal(amount)
        items.append({
            "code": item.code, "label": item.label, "amount": text, "articles": item.articles,
            "explanation": _rendered(item.explanation, env, rule, {"amount": text}),
        })
        amounts.append((amount, item.in_total))
    findings = [{"code": finding.code, "severity": finding.severity, "message": _rendered(finding.message, env, rule),
                 "articles": finding.articles, **finding.data} for finding in rule.findings]
    return items, amounts, findings


def compile_outputs(rule: Rule) -> Callable[[Env, int | None], Outputs]:
    """Make ``rule.outputs`` (the loader does, for every rule): one generated function computing all the rule's
    items and findings in straight-line code (amounts, rounding and texts inlined); on any exception it hands over
    to ``_outputs_by_closures``, so every error is the reference's. With code generation off, or source too deep
    to compile, the reference itself."""
    def reference(env: Env, index: int | None) -> Outputs:
        return _outputs_by_closures(rule, index, env)

    rule.outputs = _generated_or(reference, lambda: _generated_outputs(rule, reference))
    return rule.outputs


def _generated_or(reference: Callable[..., Any], generate: Callable[[], Callable[..., Any] | None]) -> Any:
    """The generated function, or ``reference`` when code generation is off or the source cannot be compiled."""
    if codegen.enabled():
        try:
            return generate() or reference
        except RecursionError:  # nested too deep to write
            pass
    return reference


def _generated_outputs(rule: Rule, reference: Callable[[Env, int | None], Outputs]) -> Callable[..., Any] | None:
    """The generated twin of ``_outputs_by_closures`` (None when its source does not compile)."""
    w = Writer()
    body, items, amounts, findings = [], [], [], []
    for n, item in enumerate(rule.items):
        text = f"s{n}"  # the rounded amount as the answer shows it (format_decimal, inlined for plain numbers)
        body += [f"q{n} = ({w.expr(item.amount.fn)}).quantize({w.bind(item.quantum)}, "
                 f"rounding={w.bind(ROUNDING_MODES[item.rounding])}, context={w.bind(CONTEXT)})",
                 f"{text} = str(q{n})",
                 f"if 'E' in {text} or {text}[0] == '-':",
                 f"    {text} = {w.bind(format_decimal)}(q{n})"]
        explanation = template_code(w, item.explanation.plan(), {"amount": text})
        items.append(f"{{'code': {w.bind(item.code)}, 'label': {w.bind(item.label)}, 'amount': {text}, "
                     f"'articles': {w.bind(item.articles)}, 'explanation': {explanation}}}")
        amounts.append(f"(q{n}, {w.bind(item.in_total)})")
    for finding in rule.findings:
        message = template_code(w, finding.message.plan(), {})
        findings.append(f"{{'code': {w.bind(finding.code)}, 'severity': {w.bind(finding.severity)}, "
                        f"'message': {message}, 'articles': {w.bind(finding.articles)}, "
                        f"**{w.bind(finding.data)}}}")
    body.append(f"return [{', '.join(items)}], [{', '.join(amounts)}], [{', '.join(findings)}]")
    return w.function(body, reference, label=f"outputs {rule.id}", args="env, index")


def _rendered(template: Template, env: Env, rule: Rule, extra: dict[str, str] | None = None) -> str:
    """A rule's text for this case; one that cannot be computed (a division by a fact that is 0) is the case's
    422 naming the rule, as an amount's is, never a 500."""
    try:
        return template.render(env, extra)
    except EvaluationError as e:
        raise _computation_error(e, rule) from e


@dataclass
class Once:
    """Which element each ``once`` rule went to, across the versions and parameter epochs of one case."""

    first: dict[str, int | None] = field(default_factory=dict)
    dated: tuple[str, str] | None = None  # (list, date field) when each element has its own governing date

    def grant(self, rule: Rule, env: Env, element: Any, index: int | None) -> bool:
        """Grant ``rule`` to this element, unless an earlier one has it (False). Two different elements of one
        governing date that both hold a ``once`` rule are refused: which is "first" would be the order they were
        typed in (two overseas listings of one day, with different funds, paid 2.47 or 2,000,000.00). The same
        element given twice is only a repeat: either is the same."""
        if rule.id not in self.first:
            self.first[rule.id] = index
            return True
        first = self.first[rule.id]
        if self.dated is not None and rule.scope == self.dated[0] and first is not None and index is not None:
            day, earlier = element[self.dated[1]], value_at(env.facts, rule.scope)[first]
            if earlier[self.dated[1]] == day and earlier != element:
                raise CaseError([FieldError(
                    f"facts.{rule.scope}[{index}].{self.dated[1]}",
                    f"与 {rule.scope}[{first}] 同日（{day.isoformat()}）发生，两者都适用只给一次的“{rule.id}”"
                    f"（{rule.article}），先后不明，无法确定给哪一次：请核实日期，或合并为一个事件")])
        return False


def _once_finding(outcome: Outcome, rule: Rule, env: Env, element: Any, index: int | None,
                  first: int | None) -> None:
    env.element = element
    message = (rule.once_finding.render(env) if rule.once_finding
               else f"{rule.scope}[{index}]：依{rule.article}，该项为一次性补助，"
                    f"已按 {rule.scope}[{first}] 计发，不再重复")
    env.element = None
    outcome.findings.append({"code": "once_only", "severity": "info", "message": message, "articles": rule.articles})


def _trace(rule: Rule, index: int | None, fired: bool, note: str | None, env: Env, element: Any) -> dict[str, Any]:
    env.element = element
    entry: dict[str, Any] = {"rule": rule.id, "article": rule.article, "fired": fired,
                             "condition": rule.condition.source}
    if index is not None:
        entry["element"] = f"{rule.scope}[{index}]"
    if note:
        entry["note"] = note
    elif not fired:
        entry["failed"] = rule.condition.reason.failing(env) or rule.condition.source
    env.element = None
    return entry


def _path(rule: Rule, index: int | None, name: str) -> str:
    if rule.alias and name.startswith(rule.alias + "."):
        return f"facts.{rule.scope}[{index}].{name[len(rule.alias) + 1:]}"
    return f"facts.{name}"


def _display(value: Any) -> Any:
    """Show a quantity: numbers with at least two decimals (45 -> "45.00"), finer ones without trailing zeros."""
    if isinstance(value, Decimal):
        return tidy(value, 2)
    return None if value is None else show(value)


def _answer(policy: Policy, day: datetime.date, outcome: Outcome, facts: dict[str, Any],
            case: CaseRules) -> dict[str, Any]:
    total = signed_sum(outcome.amounts, ZERO)  # the items' own precision: 28 digits would drop cents at 10^27
    answer: dict[str, Any] = {
        "status": outcome.status,
        "policy": policy.summary(),
        "governing_date": day.isoformat(),
        "quantities": outcome.quantities,
        "items": outcome.items,
        "total": format_decimal(total),
        "findings": outcome.findings,
        "interpretations": [{"id": i, "note": policy.notes[i]} for i in sorted(outcome.interpretations, key=_natural)]
        if outcome.interpretations else [],
        "trace": outcome.trace,
    }
    if outcome.reason:
        answer["reason"] = outcome.reason
    if case.deductions is not None:
        _deduct(answer, outcome, facts, case, total)
    return answer


@functools.lru_cache(maxsize=4096)
def _natural(name: str) -> tuple[Any, ...]:
    """Sort I-2 before I-12."""
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", name))


def _deduct(answer: dict[str, Any], outcome: Outcome, facts: dict[str, Any], case: CaseRules,
            total: Decimal) -> None:
    with decimal.localcontext(CONTEXT):  # sums and differences as exact as the items
        _deduct_exactly(answer, outcome, facts, case, total)


def _deduct_exactly(answer: dict[str, Any], outcome: Outcome, facts: dict[str, Any], case: CaseRules,
                    total: Decimal) -> None:
    d = case.deductions
    assert d is not None
    granted: dict[str, Decimal] = {}
    for item, (amount, sign) in zip(outcome.items, outcome.amounts, strict=True):
        if sign:
            granted[item["code"]] = granted.get(item["code"], ZERO) + amount
    paid_by_code: dict[str, Decimal] = {}
    for entry in facts.get(d.list) or []:  # each payment to the cent, as every line: the sums are exact
        paid_by_code[entry[d.code]] = paid_by_code.get(entry[d.code], ZERO) + round_amount(entry[d.amount])
    paid = sum(paid_by_code.values(), ZERO)
    due = total - paid
    labels = {spec.code: spec.label for rule in case.rules for spec in rule.items}
    for code, amount in paid_by_code.items():
        if amount > granted.get(code, ZERO):
            answer["findings"].append({
                "code": "paid_exceeds_granted", "severity": "warning",
                "message": f"已付“{labels.get(code, code)}”{format_decimal(amount)} 元，超过本次认定的该项金额 "
                           f"{format_decimal(granted.get(code, ZERO))} 元，请核实",
                "articles": [d.article]})
    if due < 0:
        answer["findings"].append({"code": "overpaid", "severity": "warning",
                                   "message": f"已付合计超过补助合计 {format_decimal(-due)} 元",
                                   "articles": [d.article]})
    answer["paid"] = format_decimal(paid)
    answer["due"] = format_decimal(due)


def _no_policy(family: Family, days: list[datetime.date], day: datetime.date | None) -> dict[str, Any]:
    reasons = list(dict.fromkeys(_not_in_force_reason(family, d) for d in days))
    reason = "；".join(reasons) if reasons else "案件没有可确定管辖日期的事实"
    articles = list(dict.fromkeys(_validity_article(family, d) for d in days))
    return {
        "status": "no_policy_in_force", "policy": None, "governing_date": day.isoformat() if day else None,
        "quantities": {}, "items": [], "total": "0.00",
        "findings": [{"code": "no_policy_in_force", "severity": "info", "message": reason, "articles": articles}],
        "interpretations": [], "trace": [], "reason": reason,
    }


def _neighbour(family: Family, day: datetime.date) -> tuple[Policy, str]:
    before = [p for p in family.versions if p.effective_to is not None and p.effective_to < day]
    if day < family.versions[0].effective_from or not before:
        return family.versions[0], "before"
    return before[-1], "after"


def _not_in_force_reason(family: Family, day: datetime.date) -> str:
    policy, side = _neighbour(family, day)
    later = [p for p in family.versions if p.effective_from > day and set(p.cases) & set(policy.cases)]
    if side == "after" and later:  # a gap between two versions: the drafter's "after" text may say none follows
        end = policy.effective_to.isoformat() if policy.effective_to else "—"
        return (f"{day.isoformat()} 在版本 {policy.version}（{policy.document.get('number', '')}）失效日 {end} 之后、"
                f"版本 {later[0].version}（{later[0].document.get('number', '')}）施行日 "
                f"{later[0].effective_from.isoformat()} 之前，这一天没有施行中的版本")
    text = policy.validity[side]
    values = (day.isoformat(), policy.effective_from.isoformat(),
              policy.effective_to.isoformat() if policy.effective_to else "—")
    for key, value in zip(VALIDITY_NAMES, values, strict=True):  # the loader refuses any other placeholder
        text = text.replace("{" + key + "}", value)
    return text


def _validity_article(family: Family, day: datetime.date) -> str:
    policy, side = _neighbour(family, day)
    return policy.validity.get(f"{side}_article") or policy.validity["article"]


