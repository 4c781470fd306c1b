"""A loaded policy set: families, their versions, and each version's compiled rules."""
from __future__ import annotations

import datetime
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from . import codegen
from .codegen import Writer
from .conditions import Atom, Condition
from .expressions import Env, Expr
from .facts import CaseKind
from .money import tidy


@dataclass
class Template:
    """A message with ``{expression}`` placeholders, compiled at load time."""

    text: str
    parts: list[tuple[str, Expr | None]]  # literal text, or a placeholder's expression

    _generated: Callable[[Env, dict[str, str] | None], str] | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._generated = _generate(self.plan(), self.by_closures)

    @functools.cached_property
    def names(self) -> frozenset[str]:
        """The names its placeholders read."""
        return frozenset(name for _, expr in self.parts if expr is not None for name in expr.names)

    def render(self, env: Env, extra: dict[str, str] | None = None) -> str:
        """Fill the placeholders for one case."""
        return self._generated(env, extra)  # type: ignore[misc]

    def plan(self) -> list[tuple[str, str, Any, dict[str, str] | None]]:
        """Each part: its literal text, or its source, evaluator and labels."""
        return [(literal, getattr(expr, "source", ""), getattr(expr, "fn", expr), getattr(expr, "labels", None))
                for literal, expr in self.parts]

    def by_closures(self, env: Env, extra: dict[str, str] | None = None) -> str:
        """Fill the placeholders part by part (the reference, and the errors' source)."""
        out = []
        for literal, source, fn, labels in self.plan():
            if fn is None:
                out.append(literal)
            elif extra and source in extra:
                out.append(extra[source])
            else:
                value = fn(env)
                out.append(labels.get(value, show(value)) if labels and isinstance(value, str) else show(value))
        return "".join(out)


def _generate(plan: list[tuple[str, str, Any, dict[str, str] | None]],
              fallback: Callable[[Env, dict[str, str] | None], str]) -> Callable[[Env, dict[str, str] | None], str]:
    """Generate a template's ``render`` as one expression; any exception renders it again with ``fallback``."""
    if not codegen.enabled():
        return fallback
    w = Writer()
    code = template_code(w, plan)
    return w.function([f"return {code}"], fallback, label="template", args="env, extra") or fallback


def template_code(w: Writer, plan: list[tuple[str, str, Any, dict[str, str] | None]],
                  known: dict[str, str] | None = None) -> str:
    """The source of one expression filling a template's placeholders.

    Without ``known`` the code reads the ``extra`` mapping at run time, as ``render`` does; with it, a
    placeholder whose source is a key of ``known`` is the local variable named there (``{amount}`` is the
    item's rounded amount), and every other placeholder is computed, as ``render(env, None)`` would.
    """
    pieces = []
    for literal, source, fn, labels in plan:
        if fn is None:
            pieces.append(w.bind(literal))
            continue
        t = w.temp()
        if labels:
            shown = f"{w.bind(_labelled)}({w.bind(labels)}, {w.expr(fn)})"
        else:  # show() of a text is the text, and of a Decimal its tidy form
            shown = (f"{t} if type({t} := {w.expr(fn)}) is str else {w.bind(tidy)}({t}) if type({t}) is "
                     f"{w.bind(Decimal)} else {w.bind(show)}({t})")
        if known is None:
            pieces.append(f"(extra[{w.bind(source)}] if extra and {w.bind(source)} in extra else {shown})")
        else:
            pieces.append(known[source] if source in known else f"({shown})")
    return " + ".join(pieces) if pieces else w.bind("")


def _labelled(labels: dict[str, str], value: Any) -> str:
    return labels.get(value, show(value)) if isinstance(value, str) else show(value)


PLACEHOLDER = re.compile(r"\{([^{}]+)\}")
VALIDITY_NAMES = ("date", "effective_from", "effective_to")  # the placeholders of validity.before/after


def show(value: Any) -> str:
    """Render a value for a Chinese explanation."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Decimal):
        return tidy(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


@dataclass
class Parameter:
    """A named number (or text) whose value may change on given dates, each value with its source."""

    name: str
    label: str
    unit: str
    values: list[tuple[datetime.date, Any, str, str]]  # (from, value, article, quoted text), sorted

    def at(self, day: datetime.date) -> Any:
        """Return the value in force on a day (the latest value dated on or before it)."""
        current = None
        for start, value, _, _ in self.values:
            if start <= day:
                current = value
        return current


@dataclass
class Interpretation:
    """A named reading of unclear text."""

    id: str
    article: str
    text: str
    reading: str
    alternative: str
    source: str = ""


@dataclass
class ItemSpec:
    code: str
    label: str
    amount: Expr
    explanation: Template
    quantum: Decimal
    rounding: str
    in_total: int  # 1: added to the total, 0: shown only, -1: subtracted (the household pays it)
    articles: list[str]


@dataclass
class FindingSpec:
    code: str
    severity: str
    message: Template
    articles: list[str]
    data: dict[str, Any] = field(default_factory=dict)  # fixed extra keys of the finding (an indicator's id)


@dataclass
class Rule:
    """One provision: when it applies, and what it yields."""

    id: str
    article: str
    text: str
    condition: Condition
    scope: str | None = None  # the list fact a for_each rule walks
    alias: str | None = None
    once: bool = False
    once_finding: Template | None = None
    interpretations: list[str] = field(default_factory=list)
    phase: int = 1
    sets: dict[str, Expr] = field(default_factory=dict)
    items: list[ItemSpec] = field(default_factory=list)
    findings: list[FindingSpec] = field(default_factory=list)
    status: tuple[str, Template] | None = None
    articles: list[str] = field(default_factory=list)
    # (env, index) -> (items, amounts, findings) when the rule holds (evaluator.compile_outputs makes it at load)
    outputs: Callable[[Env, int | None], Any] | None = field(default=None, repr=False, compare=False)

    @functools.cached_property
    def output_names(self) -> frozenset[str]:
        """The names what it yields reads: its amounts, explanations, messages and the quantities it sets."""
        names: set[str] = set()
        for item in self.items:
            names |= item.amount.names | item.explanation.names
        for finding in self.findings:
            names |= finding.message.names
        for template in (self.status[1] if self.status else None, self.once_finding):
            if template is not None:
                names |= template.names
        for expr in self.sets.values():
            names |= expr.names
        return frozenset(names)


@dataclass
class Deductions:
    """Amounts already paid, listed in the case, to deduct from the total into ``due``."""

    list: str
    code: str
    amount: str
    article: str
    text: str


@dataclass
class Phase:
    """Rules decided together: phase 1 reads facts and derived values; phase 2 also reads quantities."""

    number: int
    rules: list[Rule]
    atoms: dict[str | None, list[Atom]] = field(default_factory=dict)  # scope -> atoms
    # evaluator.FactAtoms by scope, made on first use
    compiled: dict[str | None, Any] | None = field(default=None, repr=False, compare=False)

    @functools.cached_property
    def position(self) -> dict[str, int]:
        """Each rule's index in ``rules``, by rule id."""
        return {rule.id: n for n, rule in enumerate(self.rules)}


@dataclass
class CaseRules:
    """Everything a version says about one case kind, compiled."""

    kind: str
    governing_list: str | None  # "events" when each element has its own governing date
    governing_field: str  # "decision_date", or "date" within the list's elements
    derived: list[tuple[str, Expr]]
    quantities: list[tuple[str, Expr, str, bool]]  # name, default expression, label, reported
    rules: list[Rule]
    deductions: Deductions | None
    phases: list[Phase] = field(default_factory=list)
    order: dict[str, int] = field(default_factory=dict)  # rule id -> position in the file
    handle: Any = None  # the backend's compiled rules (all phases)
    backend: Any = None  # the backend that compiled them
    # (env, overrides, shown) -> None: every quantity, in order (evaluator.compile_quantities makes it at load)
    quantify: Callable[..., None] | None = field(default=None, repr=False, compare=False)

    @functools.cached_property
    def scopes(self) -> list[str]:
        """The list facts that ``for_each`` rules walk, in the order of the file."""
        return list(dict.fromkeys(r.scope for r in self.rules if r.scope is not None))


@dataclass
class Article:
    """One article of the instrument: its text and whether the system computes it."""

    id: str
    status: str  # computed | procedural | declaratory
    text: str
    chapter: str = ""
    note: str = ""


@dataclass
class Policy:
    """One version of a legal instrument."""

    family: str
    version: str
    file: str
    document: dict[str, Any]
    effective_from: datetime.date
    effective_to: datetime.date | None
    validity: dict[str, str]
    parameters: dict[str, Parameter]
    interpretations: dict[str, Interpretation]
    cases: dict[str, CaseRules]
    content_hash: str
    files: dict[str, str]  # file name -> sha256 of the exact bytes used
    articles: list[Article] = field(default_factory=list)  # the instrument's text, article by article
    line: int = 1  # where effective_from is written, for overlap errors
    _constant: dict[str, Any] | None = field(default=None, repr=False)
    _fixed: bool = field(default=False, repr=False)

    def parameters_on(self, day: datetime.date) -> dict[str, Any]:
        """Return every parameter's value on a day (a new dict: expressions only read it)."""
        if self._constant is None:
            fixed = all(len(p.values) == 1 and p.values[0][0] <= self.effective_from
                        for p in self.parameters.values())
            self._constant = {n: p.values[0][1] for n, p in self.parameters.items()} if fixed else {}
            self._fixed = fixed
        if self._fixed:
            return self._constant
        return {name: p.at(day) for name, p in self.parameters.items()}

    @property
    def parameters_fixed(self) -> bool:
        """Tell whether every parameter keeps one value over the whole validity."""
        self.parameters_on(self.effective_from)
        return self._fixed

    def parameter_epoch(self, day: datetime.date) -> datetime.date:
        """Return the latest day on or before ``day`` on which a parameter took a new value: two days of one
        epoch read the same parameters."""
        changes = [d for p in self.parameters.values() for d, *_ in p.values if d <= day]
        return max(changes, default=self.effective_from)

    def in_force(self, day: datetime.date) -> bool:
        """Tell whether the version's validity contains a day."""
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)

    def summary(self) -> dict[str, Any]:
        """Return the version's identity as answers show it (a new dict each time)."""
        return dict(self._identity)

    @functools.cached_property
    def notes(self) -> dict[str, str]:
        """Each interpretation's note as answers show it: the article, the unclear text, the reading."""
        return {i.id: f"{i.article}“{i.text}”：{i.reading}" for i in self.interpretations.values()}

    @functools.cached_property
    def _identity(self) -> dict[str, Any]:
        return {
            "family": self.family,
            "version": self.version,
            "document": self.document["number"],
            "effective_from": self.effective_from.isoformat(),
            "effective_to": self.effective_to.isoformat() if self.effective_to else None,
            "content_hash": self.content_hash,
        }


@dataclass
class Family:
    name: str
    kinds: dict[str, CaseKind]
    versions: list[Policy]  # sorted by effective_from
    _deciding: dict[str, Family] = field(default_factory=dict, repr=False, compare=False)

    def deciding(self, kind: str) -> Family:
        """Return the family of the versions that decide a kind: itself when all do (made once per kind).

        Two instruments of one family may decide different kinds; only this kind's versions are candidates.
        """
        found = self._deciding.get(kind)
        if found is None:
            if all(kind in p.cases for p in self.versions):
                found = self
            else:
                found = Family(self.name, self.kinds, [p for p in self.versions if kind in p.cases])
            self._deciding[kind] = found
        return found

    def for_day(self, day: datetime.date) -> Policy | None:
        """Return the version in force on a day, if any."""
        for policy in self.versions:
            if policy.in_force(day):
                return policy
        return None

    def current(self) -> list[Policy]:
        """Return the latest version of each case kind (one instrument per kind may run in parallel)."""
        latest = {kind: p.version for p in self.versions for kind in p.cases}
        return [p for p in self.versions if p.version in latest.values()]


@dataclass
class PolicySet:
    """Every family loaded from one policies directory."""

    root: str
    families: dict[str, Family]
    content_hash: str
    backend: Any
    # the exact bytes every family was compiled from, by "family/file.yaml": a decision log keeps
    # these by hash so that an old decision can be replayed on the policies it was made with
    sources: dict[str, bytes] = field(default_factory=dict)

    def retire(self, keep: frozenset[int] = frozenset()) -> None:
        """Free the compiled rules of every family not kept (by ``id``); only once no evaluation uses them."""
        for family in self.families.values():
            if id(family) in keep:  # reused unchanged by a set still in use
                continue
            for policy in family.versions:
                for case in policy.cases.values():
                    self.backend.retire(case.handle)
