"""The expression language of policy files: parsed once at load time, evaluated exactly in Decimal.

What it accepts, and nothing more (anything else is refused at load time, with its location):

- numbers (``45``, ``0.9``: exact decimals, never floats), strings in quotes, ``true``, ``false``, ``null``;
- names: a case fact by its path (``property.building_area``), the element of a ``for_each`` rule by
  its alias (``event.date``), a parameter (``param.minimum_area``), a derived value or a quantity by
  its name;
- arithmetic ``+ - * /`` and unary minus on numbers;
- comparisons ``== != < <= > >=`` (order comparisons on numbers or dates only), and membership
  ``x in ("a", "b")`` / ``not in`` over a literal list;
- ``and``, ``or``, ``not``;
- the functions ``min(a, b, ...)``, ``max(a, b, ...)``, ``abs(x)``, ``coalesce(x, default)``,
  ``round(x, 0.01)`` (ROUND_HALF_UP to the given quantum), ``count(list)`` (the number of elements of
  a list fact) and ``percent(x)`` (renders 0.02 as "2%", for explanations);
- the period functions of ``periods.py`` and the text functions of ``texts.py`` (``has_heading``,
  ``has_part``, ``section``, ``labelled``, ``telephone``, ``copied_share``).

Null: arithmetic with null gives null; a comparison with a null operand is false, except the null
tests ``x == null`` and ``x != null``.  The Python source parser (``ast``) only tokenises; nothing is
ever passed to ``eval``.
"""
from __future__ import annotations

import ast
import datetime
import difflib
import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .codegen import Writer, compile_evaluator, emits
from .money import CONTEXT, DEFAULT_ROUNDING, ROUNDING_MODES, format_decimal, policy_number_problem, round_amount
from .texts import TEXT_FUNCTIONS, TEXT_OPTIONAL_ARGS

NUMBER, STRING, BOOL, DATE, LIST, OBJECT, NULL, ANY = (
    "number", "string", "bool", "date", "list", "object", "null", "any",
)

Evaluator = Callable[["Env"], Any]


class ExpressionError(Exception):
    """A problem in an expression's text, at a character offset into it."""

    def __init__(self, message: str, offset: int = 0):
        super().__init__(message)
        self.message = message
        self.offset = offset


class EvaluationError(Exception):
    """An expression could not be computed for a case (for example a division by zero).

    ``path`` names the fact at fault when one can be named (``timeline.notice_served``)."""

    def __init__(self, message: str, path: str | None = None):
        super().__init__(message)
        self.path = path


@dataclass(slots=True)
class Env:
    """What an expression sees while one case is evaluated."""

    facts: dict[str, Any]
    params: dict[str, Any]
    derived: dict[str, Any] = field(default_factory=dict)
    quantities: dict[str, Any] = field(default_factory=dict)
    element: Any = None


@dataclass(frozen=True)
class TypeInfo:
    """The static type of a name: its kind, and for objects and lists of objects their fields."""

    kind: str
    fields: dict[str, TypeInfo] | None = None
    item: TypeInfo | None = None
    values: tuple[str, ...] | None = None  # allowed values of an enum
    labels: tuple[tuple[str, str], ...] | None = None  # Chinese labels of enum values, for explanations


@dataclass
class Symbols:
    """The names an expression may use, with their types, in the place where it is written."""

    facts: dict[str, TypeInfo]
    params: dict[str, TypeInfo]
    derived: dict[str, TypeInfo] = field(default_factory=dict)
    quantities: dict[str, TypeInfo] = field(default_factory=dict)
    alias: str | None = None
    element: TypeInfo | None = None
    later: dict[str, str] = field(default_factory=dict)  # a name defined further down -> what it is there


@dataclass
class Expr:
    """A compiled expression: its text, static type, the names it reads, and its evaluator."""

    source: str
    type: str
    fn: Evaluator
    names: frozenset[str]
    labels: dict[str, str] | None = None  # an enum fact's value labels, used when shown in a message

    def __call__(self, env: Env) -> Any:
        return self.fn(env)


FUNCTIONS = ("min", "max", "abs", "coalesce", "percent", "round", "count", "within_days", "within_months",
             "at_least_days", "working_days", "plus_months", "counted", *TEXT_FUNCTIONS)
PERIODS = ("within_days", "within_months", "at_least_days", "working_days", "plus_months")
_CONSTANT_NAMES = {"true": True, "false": False, "null": None}


def parse(text: str) -> ast.expr:
    """Parse an expression's text into a syntax tree, refusing what does not parse."""
    if not isinstance(text, str) or not text.strip():
        raise ExpressionError("表达式为空")
    try:
        return ast.parse(text.strip(), mode="eval").body
    except SyntaxError as e:
        hint = next((h for token, h in _SYNTAX_HINTS if token.search(text)), "")
        raise ExpressionError(f"表达式语法错误：{e.msg}{hint}", (e.offset or 1) - 1) from e


# what a drafter used to other languages writes, and what to write here instead
_SYNTAX_HINTS = [(re.compile(r"&&|\|\|"), "（“并且”写 and，“或者”写 or）"),
                 (re.compile(r"(?<![=!<>])=(?!=)"), "（比较相等写 ==，不是 =）"),
                 (re.compile(r"!(?!=)"), "（“非”写 not）")]


def source_segment(source: str, node: ast.AST) -> str | None:
    """``ast.get_source_segment``, without splitting the text into lines again for every node.

    Expressions are one line: the segment is the UTF-8 byte range of the node's columns.
    """
    end = getattr(node, "end_col_offset", None)
    if getattr(node, "lineno", None) != 1 or getattr(node, "end_lineno", None) != 1 or end is None \
            or any(c in source for c in "\r\n\f"):
        return ast.get_source_segment(source, node)
    return _utf8(source)[node.col_offset:end].decode("utf-8")  # type: ignore[attr-defined]


@functools.lru_cache(maxsize=1024)
def _utf8(text: str) -> bytes:
    return text.encode("utf-8")


def did_you_mean(name: str, candidates: Iterable[str]) -> str:
    """Return a "did you mean" hint for a misspelt name, or an empty string."""
    close = difflib.get_close_matches(name, sorted(candidates), n=1, cutoff=0.6)
    return f"；是否想写“{close[0]}”？" if close else ""


def dotted(node: ast.expr) -> list[str] | None:
    """Return the parts of ``a.b.c``, or None if the node is not a plain dotted name."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return parts[::-1]
    return None


def literal(node: ast.expr, source: str) -> tuple[bool, Any]:
    """Return (True, value) when the node is a constant (numbers exact, as written), else (False, None)."""
    if isinstance(node, ast.Constant):
        value = node.value
        if isinstance(value, bool) or value is None:
            raise ExpressionError("请用小写的 true、false、null", node.col_offset)
        if isinstance(value, (int, float)):
            text = source_segment(source, node) or str(value)
            if len(text) > 1 and text[0] == "0" and text[1].isdigit():  # "000" of 5,000,000 is Python's 0
                raise ExpressionError(f"数值“{text}”以 0 开头：数值不能写千分位逗号（5,000,000 应写 5000000），"
                                      "也不能有前导零", node.col_offset)
            try:
                number = Decimal(text.replace("_", ""))
            except ArithmeticError as e:
                raise ExpressionError(f"不支持的数值写法“{text}”：请写十进制数，如 16 或 0.02",
                                      node.col_offset) from e
            too_large = policy_number_problem(number)
            if too_large:  # 1e999999 would fail every case that reaches it, blaming the case
                raise ExpressionError(f"“{text}”：{too_large}", node.col_offset)
            return True, number
        if isinstance(value, str):
            return True, value
        raise ExpressionError(f"不支持的常量：{value!r}", node.col_offset)
    if isinstance(node, ast.Name) and node.id in _CONSTANT_NAMES:
        return True, _CONSTANT_NAMES[node.id]
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        ok, value = literal(node.operand, source)
        if ok and isinstance(value, Decimal):
            return True, -value
    return False, None


def type_of(value: Any) -> str:
    """Return the expression type of a constant."""
    if value is None:
        return NULL
    if isinstance(value, bool):
        return BOOL
    if isinstance(value, Decimal):
        return NUMBER
    if isinstance(value, str):
        return STRING
    if isinstance(value, datetime.date):
        return DATE
    return ANY


def compatible(a: str, b: str) -> bool:
    """Tell whether two static types may meet in one comparison."""
    return a == b or ANY in (a, b) or NULL in (a, b)


class Compiler:
    """Turns parsed expressions into closures, checking names and types against ``Symbols``."""

    def __init__(self, symbols: Symbols, source: str):
        self.symbols = symbols
        self.source = source
        self.last_info: TypeInfo | None = None

    def compile(self, node: ast.expr) -> Expr:
        """Compile one syntax tree node into an ``Expr``."""
        self.last_info = None
        kind, fn, names = self._node(node)
        segment = source_segment(self.source, node) or self.source
        info = self.last_info if dotted(node) is not None else None
        labels = dict(info.labels) if info is not None and info.labels else None
        return Expr(segment, kind, compile_evaluator(fn), frozenset(names), labels)

    # -- names ---------------------------------------------------------------------------

    def resolve(self, node: ast.expr) -> tuple[str, Evaluator, set[str]]:
        """Resolve a dotted name to its type and a null-safe accessor."""
        parts = dotted(node)
        assert parts is not None
        offset = node.col_offset
        root, rest = parts[0], parts[1:]
        sym = self.symbols
        if root == sym.alias and sym.element is not None:
            info, getter = sym.element, emits(lambda env: env.element, lambda w: w.env("element"))
        elif root == "param":
            if not rest:
                raise ExpressionError("“param” 之后应写参数名，如 param.minimum_area", offset)
            name = rest.pop(0)
            if name not in sym.params:
                raise ExpressionError(f"参数“{name}”不存在{did_you_mean(name, sym.params)}", offset)
            info, getter = sym.params[name], _namespace_getter("params", name)
        elif root in sym.derived:
            info, getter = sym.derived[root], _namespace_getter("derived", root)
        elif root in sym.quantities:
            info, getter = sym.quantities[root], _namespace_getter("quantities", root)
        elif root in sym.facts:
            info, getter = sym.facts[root], _namespace_getter("facts", root)
        elif root in sym.later:
            raise ExpressionError(f"{sym.later[root]}“{root}”写在此处之后：只能用前面已定义的派生量和量，"
                                  "请调整顺序（两者互相引用则无法计算）", offset)
        else:
            known = set(sym.facts) | set(sym.derived) | set(sym.quantities) | {"param"}
            if sym.alias:
                known.add(sym.alias)
            raise ExpressionError(f"名称“{root}”既不是事实，也不是参数或派生量{did_you_mean(root, known)}", offset)
        walked = [root]
        for part in rest:
            if info.kind not in (OBJECT, ANY) or info.fields is None:
                raise ExpressionError(f"“{'.'.join(walked)}”没有下级字段“{part}”", offset)
            if part not in info.fields:
                raise ExpressionError(
                    f"“{'.'.join(walked)}”没有字段“{part}”{did_you_mean(part, info.fields)}", offset
                )
            info = info.fields[part]
            walked.append(part)
        if len(walked) > 1:
            getter = _path_getter(getter, tuple(walked[1:]))
        self.last_info = info
        return info.kind, getter, {".".join(parts)}

    # -- nodes ---------------------------------------------------------------------------

    def _node(self, node: ast.expr) -> tuple[str, Evaluator, set[str]]:
        is_const, value = literal(node, self.source)
        if is_const:
            return type_of(value), emits(lambda env, v=value: v, lambda w: w.bind(value)), set()
        if dotted(node) is not None:
            return self.resolve(node)
        if isinstance(node, ast.BinOp):
            return self._binop(node)
        if isinstance(node, ast.UnaryOp):
            return self._unary(node)
        if isinstance(node, ast.BoolOp):
            return self._boolop(node)
        if isinstance(node, ast.Compare):
            return self._compare(node)
        if isinstance(node, ast.Call):
            return self._call(node)
        raise ExpressionError(f"不支持的写法：{_describe(node)}", node.col_offset)

    def _fact_path(self, node: ast.expr) -> str | None:
        """The dotted path of a fact of the case itself (not a parameter, a derived value or a list element)."""
        parts = dotted(node)
        sym = self.symbols
        if not parts or parts[0] == sym.alias or parts[0] == "param" or parts[0] in sym.derived \
                or parts[0] in sym.quantities or parts[0] not in sym.facts:
            return None
        return ".".join(parts)

    def _number(self, node: ast.expr) -> tuple[Evaluator, set[str]]:
        kind, fn, names = self._node(node)
        if kind not in (NUMBER, ANY, NULL):
            raise ExpressionError(f"此处需要数值，而“{self._text(node)}”是{TYPE_NAMES[kind]}", node.col_offset)
        return fn, names

    def _binop(self, node: ast.BinOp) -> tuple[str, Evaluator, set[str]]:
        op = _ARITHMETIC.get(type(node.op))
        if op is None:
            raise ExpressionError(f"不支持的运算符：{_describe(node.op)}", node.col_offset)
        left, ln = self._number(node.left)
        right, rn = self._number(node.right)
        if isinstance(node.op, ast.Div) and isinstance(node.right, ast.Constant) and node.right.value == 0:
            raise ExpressionError(f"除数为 0：“{self._text(node)}”对每个案件都无法计算", node.right.col_offset)

        def fn(env: Env) -> Any:
            a, b = left(env), right(env)
            if a is None or b is None:
                return None
            try:
                return op(a, b)
            except ArithmeticError as e:
                why = _ARITHMETIC_WHY.get(type(e).__name__, "超出可计算范围")
                raise EvaluationError(f"无法计算“{self._text(node)}”：{why}") from e

        return NUMBER, emits(fn, lambda w: _null_if_any(w, [left, right], lambda a, b: f"{w.bind(op)}({a}, {b})")), \
            ln | rn

    def _unary(self, node: ast.UnaryOp) -> tuple[str, Evaluator, set[str]]:
        if isinstance(node.op, ast.USub):
            inner, names = self._number(node.operand)
            return NUMBER, emits(lambda env: None if (v := inner(env)) is None else CONTEXT.minus(v),
                                 lambda w: _null_if_any(w, [inner], lambda v: f"{w.bind(CONTEXT.minus)}({v})")), names
        if isinstance(node.op, ast.Not):
            kind, inner, names = self._node(node.operand)
            self._need_bool(kind, node.operand)
            return BOOL, emits(lambda env: not inner(env), lambda w: f"not {w.expr(inner)}"), names
        raise ExpressionError(f"不支持的运算符：{_describe(node.op)}", node.col_offset)

    def _boolop(self, node: ast.BoolOp) -> tuple[str, Evaluator, set[str]]:
        parts = []
        names: set[str] = set()
        for value in node.values:
            kind, fn, n = self._node(value)
            self._need_bool(kind, value)
            parts.append(fn)
            names |= n
        if isinstance(node.op, ast.And):
            return BOOL, emits(lambda env: all(bool(p(env)) for p in parts),
                               lambda w: " and ".join(f"bool({w.expr(p)})" for p in parts)), names
        return BOOL, emits(lambda env: any(bool(p(env)) for p in parts),
                           lambda w: " or ".join(f"bool({w.expr(p)})" for p in parts)), names

    def _need_bool(self, kind: str, node: ast.expr) -> None:
        if kind not in (BOOL, ANY):
            raise ExpressionError(f"“{self._text(node)}”不是条件（应为真/假）", node.col_offset)

    def _compare(self, node: ast.Compare) -> tuple[str, Evaluator, set[str]]:
        test = self.comparison(node)
        return BOOL, emits(lambda env: test.evaluate(env), test.emit), test.names

    def comparison(self, node: ast.Compare) -> Comparison:
        """Check and compile one comparison; conditions reuse it to build their atoms."""
        if len(node.ops) != 1:
            raise ExpressionError("不支持连写比较（如 a < b < c），请用 and 连接", node.col_offset)
        op, right_node = node.ops[0], node.comparators[0]
        lk, left, ln = self._node(node.left)
        allowed = self.last_info.values if dotted(node.left) is not None and self.last_info is not None else None
        if isinstance(op, (ast.In, ast.NotIn)):
            if not isinstance(right_node, (ast.Tuple, ast.List)) or not right_node.elts:
                raise ExpressionError("in 之后应为常量列表，如 (\"a\", \"b\")", right_node.col_offset)
            options = []
            for elt in right_node.elts:
                ok, value = literal(elt, self.source)
                if not ok:
                    raise ExpressionError("in 之后的列表只能包含常量", elt.col_offset)
                if not compatible(lk, type_of(value)):
                    raise ExpressionError(f"“{self._text(node.left)}”不能与 {value!r} 比较", elt.col_offset)
                self._check_value(node.left, allowed, value, elt.col_offset)
                options.append(value)
            return Comparison(self._text(node), "in" if isinstance(op, ast.In) else "not in", lk, left,
                              None, tuple(options), ln)
        symbol = _COMPARISONS.get(type(op))
        if symbol is None:
            raise ExpressionError(f"不支持的比较：{_describe(op)}", node.col_offset)
        rk, right, rn = self._node(right_node)
        right_const, right_value = literal(right_node, self.source)
        left_const, _ = literal(node.left, self.source)
        if left_const and right_const:
            raise ExpressionError("比较的两边都是常量", node.col_offset)
        if rk == NULL or lk == NULL:
            if symbol not in ("==", "!="):
                raise ExpressionError("null 只能用 == 或 != 比较", node.col_offset)
            subject = left if rk == NULL else right
            return Comparison(self._text(node), "is null" if symbol == "==" else "is not null", ANY, subject,
                              None, (), ln | rn)
        if not compatible(lk, rk):
            raise ExpressionError(
                f"“{self._text(node.left)}”（{TYPE_NAMES[lk]}）不能与“{self._text(right_node)}”"
                f"（{TYPE_NAMES[rk]}）比较", node.col_offset)
        kind = lk if lk != ANY else rk
        if symbol not in ("==", "!=") and kind not in (NUMBER, DATE, ANY):
            raise ExpressionError(f"{TYPE_NAMES[kind]}只能用 == 或 != 比较", node.col_offset)
        if kind in (STRING, BOOL) and not right_const:
            raise ExpressionError("文本或真假值只能与常量比较（常量写在右边）", right_node.col_offset)
        if right_const:
            self._check_value(node.left, allowed, right_value, right_node.col_offset)
        constant = (right_value,) if right_const else ()
        return Comparison(self._text(node), symbol, kind, left, right, constant, ln | rn)

    def _check_value(self, subject: ast.expr, allowed: tuple[str, ...] | None, value: Any, offset: int) -> None:
        """Refuse a text compared with an enum fact that is not one of its values: a misspelt value never matches."""
        if allowed is not None and isinstance(value, str) and value not in allowed:
            raise ExpressionError(f"“{value}”不是“{self._text(subject)}”的可选值（{' | '.join(allowed)}）"
                                  f"{did_you_mean(value, allowed)}", offset)

    def _call(self, node: ast.Call) -> tuple[str, Evaluator, set[str]]:
        if isinstance(node.func, ast.Name) and node.keywords:
            raise ExpressionError(f"函数的参数不能写成 名称=值：“{self._text(node)}”，请按位置写", node.col_offset)
        if not isinstance(node.func, ast.Name):
            raise ExpressionError(f"不支持的调用“{self._text(node)}”：只能调用 min、max、round 等所列函数，"
                                  "不能调用方法", node.col_offset)
        name = node.func.id
        if name not in FUNCTIONS:
            raise ExpressionError(f"未知函数“{name}”，可用：{', '.join(FUNCTIONS)}{did_you_mean(name, FUNCTIONS)}",
                                  node.col_offset)
        if name == "count":
            if len(node.args) != 1 or dotted(node.args[0]) is None:
                raise ExpressionError("count 的参数应为一个列表事实，如 count(property.ancillary)", node.col_offset)
            kind, getter, names = self.resolve(node.args[0])
            if kind != LIST:
                raise ExpressionError(f"count 的参数应为列表，而“{self._text(node.args[0])}”是{TYPE_NAMES[kind]}",
                                      node.col_offset)
            return NUMBER, emits(lambda env: Decimal(len(getter(env) or [])),
                                 lambda w: f"{w.bind(Decimal)}(len({w.expr(getter)} or ()))"), names
        args = [self._node(a) for a in node.args]
        names = set().union(*(a[2] for a in args)) if args else set()
        if name in PERIODS:
            if len(args) != 2 or args[0][0] not in (DATE, ANY, NULL):
                raise ExpressionError(f"{name}(日期, 天数或月数)：第一个参数应为日期", node.col_offset)
            self._number(node.args[1])
            return DATE, _period_function(name, args[0][1], args[1][1], self._fact_path(node.args[0])), names
        if name == "counted":
            if len(args) != 1 or args[0][0] not in (DATE, ANY):
                raise ExpressionError("counted(期间) 的参数应为 within_days(...) 等期间函数", node.col_offset)
            return STRING, emits(lambda env: _counted(args[0][1](env)),
                                 lambda w: f"{w.bind(_counted)}({w.expr(args[0][1])})"), names
        if name in TEXT_FUNCTIONS:
            return self._text_function(node, name, args, names)
        fns = [a[1] for a in args]
        if name in ("min", "max"):
            if len(args) < 2:
                raise ExpressionError(f"{name} 至少需要两个参数", node.col_offset)
            for a in node.args:
                self._number(a)
            pick = min if name == "min" else max
            return NUMBER, emits(lambda env: _all_or_none([f(env) for f in fns], pick),
                                 lambda w: _null_if_any(w, fns, lambda *v: f"{w.bind(pick)}([{', '.join(v)}])")), \
                names
        if len(args) != {"abs": 1, "percent": 1, "coalesce": 2, "round": 2}[name]:
            raise ExpressionError(f"{name} 的参数个数不对", node.col_offset)
        if name == "abs":
            self._number(node.args[0])
            return NUMBER, emits(lambda env: None if (v := fns[0](env)) is None else abs(v),
                                 lambda w: _null_if_any(w, fns, lambda v: f"abs({v})")), names
        if name == "round":
            self._number(node.args[0])
            ok, quantum = literal(node.args[1], self.source)
            if not ok or not isinstance(quantum, Decimal) or quantum <= 0:
                raise ExpressionError("round 的第二个参数应为正的常数，如 round(x, 0.01)", node.args[1].col_offset)
            if quantum > 1 or quantum != Decimal(1).scaleb(quantum.adjusted()):  # only its decimals are used
                raise ExpressionError(f"round 的第二个参数是取整单位，应为 1、0.1、0.01 等（0.01 即到分），"
                                      f"不能是 {quantum}：round(x, 2) 应写 round(x, 0.01)", node.args[1].col_offset)
            return NUMBER, _rounding(fns[0], quantum), names
        if name == "percent":
            self._number(node.args[0])
            return STRING, emits(lambda env: _percent(fns[0](env)),
                                 lambda w: f"{w.bind(_percent)}({w.expr(fns[0])})"), names
        (ak, af, _), (bk, bf, _) = args
        if not compatible(ak, bk):
            raise ExpressionError("coalesce 的两个参数类型不同", node.col_offset)
        return (ak if ak != NULL else bk), emits(lambda env: v if (v := af(env)) is not None else bf(env),
                                                 lambda w: _coalesce(w, af, bf)), names

    def _text_function(self, node: ast.Call, name: str, args: list[tuple[str, Evaluator, set[str]]],
                       names: set[str]) -> tuple[str, Evaluator, set[str]]:
        """Compile a call of a text function of ``texts.py``; a null argument gives null."""
        kinds, result, function = TEXT_FUNCTIONS[name]
        fewest = len(kinds) - TEXT_OPTIONAL_ARGS.get(name, 0)
        if not fewest <= len(args) <= len(kinds):
            wanted_count = str(len(kinds)) if fewest == len(kinds) else f"{fewest} 或 {len(kinds)}"
            raise ExpressionError(f"{name} 需要 {wanted_count} 个参数", node.col_offset)
        for (kind, _, _), wanted, arg in zip(args, kinds, node.args, strict=False):
            if kind not in (wanted, ANY, NULL):
                raise ExpressionError(f"{name} 的参数“{self._text(arg)}”应为{TYPE_NAMES[wanted]}", arg.col_offset)
        fns = [a[1] for a in args]

        def compute(env: Env) -> Any:
            values = [f(env) for f in fns]
            if any(v is None for v in values):
                return None
            try:
                return function(*values)
            except ValueError as e:
                raise EvaluationError(str(e)) from e

        def emit(w: Writer) -> str:
            return _null_if_any(w, fns, lambda *v: f"{w.bind(function)}({', '.join(v)})")

        return result, emits(compute, emit), names

    def _text(self, node: ast.expr) -> str:
        return source_segment(self.source, node) or "?"


@dataclass
class Comparison:
    """One checked comparison: the building block of conditions."""

    text: str
    op: str  # == != < <= > >= in, not in, is null, is not null
    kind: str  # type of the operands
    left: Evaluator
    right: Evaluator | None  # None when the right side is a constant or a list
    constants: tuple[Any, ...]
    names: set[str]

    def operands(self, env: Env) -> tuple[Any, Any]:
        """Evaluate both sides (the right side may be a constant)."""
        a = self.left(env)
        b = self.right(env) if self.right is not None else (self.constants[0] if self.constants else None)
        return a, b

    def evaluate(self, env: Env) -> bool:
        """Decide the comparison in Python, with the documented null rules."""
        a = self.left(env)
        if self.op == "is null":
            return a is None
        if self.op == "is not null":
            return a is not None
        if a is None:
            return False
        if self.op == "in":
            return a in self.constants
        if self.op == "not in":
            return a not in self.constants
        _, b = self.operands(env)
        if b is None:
            return False
        return _ORDER[self.op](a, b)

    def emit_right(self, w: Writer) -> str:
        """Write the right operand as ``operands`` computes it."""
        if self.right is not None:
            return w.expr(self.right)
        return w.bind(self.constants[0] if self.constants else None)

    def emit(self, w: Writer, known: str | None = None) -> str:
        """Write ``evaluate`` as one Python expression (``known``: a local holding the left side, not null)."""
        if self.op in ("is null", "is not null"):
            return f"{known or w.expr(self.left)} {'is None' if self.op == 'is null' else 'is not None'}"
        a = known or w.temp()
        test = "" if known else f"({a} := {w.expr(self.left)}) is not None and "
        if self.op in ("in", "not in"):
            return f"{test}{a} {'in' if self.op == 'in' else 'not in'} {w.bind(self.constants)}"
        if self.constants and self.constants[0] is not None:  # the right side is this constant
            b = w.bind(self.constants[0])
        else:
            b = w.temp()
            test += f"({b} := {self.emit_right(w)}) is not None and "
        return f"{test}{a} {_SYMBOLS[self.op]} {b}"


def _namespace_getter(namespace: str, name: str) -> Evaluator:
    def get(env: Env) -> Any:
        return getattr(env, namespace).get(name)

    return emits(get, lambda w: w.read(f"{w.env(namespace)}.get({w.bind(name)})"))


def _path_getter(parent: Evaluator, parts: tuple[str, ...]) -> Evaluator:
    """Read ``a.b.c`` below a root in one step; a missing or null level gives null."""
    def get(env: Env) -> Any:
        value = parent(env)
        for part in parts:
            if type(value) is not dict:
                return None
            value = value.get(part)
        return value

    def emit(w: Writer) -> str:
        local = w.expr(parent)
        for part in parts:
            local = w.read(f"{local}.get({w.bind(part)}) if type({local}) is dict else None")
        return local

    return emits(get, emit)


_ARITHMETIC_WHY = {"DivisionByZero": "除数为 0", "DivisionUndefined": "0 除以 0", "ZeroDivisionError": "除数为 0",
                   "InvalidOperation": "无效的运算"}  # decimal's signals, in the words the case's reader needs


def _rounding(inner: Evaluator, quantum: Decimal) -> Evaluator:
    def compute(env: Env) -> Any:
        value = inner(env)
        if value is None:
            return None
        try:
            return round_amount(value, quantum)
        except ArithmeticError as e:
            raise EvaluationError(f"无法按 {quantum} 舍入：数值超出可计算范围") from e

    def emit(w: Writer) -> str:
        # round_amount, inlined: quantize as it does (an error makes the closure above raise its own)
        return _null_if_any(w, [inner], lambda v: f"{v}.quantize({w.bind(quantum)}, "
                            f"rounding={w.bind(ROUNDING_MODES[DEFAULT_ROUNDING])}, context={w.bind(CONTEXT)})")

    return emits(compute, emit)


def _null_if_any(w: Writer, args: list[Evaluator], call: Callable[..., str]) -> str:
    """Write: compute every argument, in order; null if any is null, else ``call`` of their temporaries."""
    if not args:
        return call()
    temps = [w.temp() for _ in args]
    nulls = " | ".join(f"(({t} := {w.expr(a)}) is None)" for t, a in zip(temps, args, strict=True))
    return f"None if {nulls} else {call(*temps)}"


def _coalesce(w: Writer, first: Evaluator, second: Evaluator) -> str:
    t = w.temp()
    return f"{t} if ({t} := {w.expr(first)}) is not None else {w.expr(second)}"


PERIOD_UNITS = {"within_days": "日", "at_least_days": "日", "working_days": "个工作日", "within_months": "个月",
                "plus_months": "个月"}  # one for each of PERIODS


class PeriodEnd(datetime.date):
    """The last day of a period, remembering how it was counted (compares as a plain date)."""

    period: Any = None


def _period_function(name: str, start: Evaluator, length: Evaluator, path: str | None) -> Evaluator:
    from . import periods

    count = getattr(periods, name)

    def end_of(day: datetime.date, n: Any) -> PeriodEnd:
        try:
            period = count(day, int(n))
        except periods.CalendarGap as e:
            raise EvaluationError(str(e), path) from e
        except (OverflowError, ValueError) as e:  # a last day past 9999-12-31, the latest date Python holds
            message = f"期间的最后一日超出可计算的日期范围：自 {day.isoformat()} 起算 {n} {PERIOD_UNITS[name]}"
            raise EvaluationError(message, path) from periods.PastLastDate(str(e))
        end = PeriodEnd(period.end.year, period.end.month, period.end.day)
        end.period = period
        return end

    def compute(env: Env) -> Any:
        day, n = start(env), length(env)
        if day is None or n is None:
            return None
        return end_of(day, n)

    return emits(compute, lambda w: _null_if_any(w, [start, length], lambda d, n: f"{w.bind(end_of)}({d}, {n})"))


def _counted(value: Any) -> str | None:
    period = getattr(value, "period", None)
    return period.explain() if period is not None else None


def _all_or_none(values: list[Any], pick: Callable[..., Any]) -> Any:
    return None if any(v is None for v in values) else pick(values)


def _percent(value: Decimal | None) -> str | None:
    if value is None:
        return None
    return format_decimal((value * 100).normalize(CONTEXT)) + "%"


# what a drafter wrote, by Python's name for it (the messages never show Python's names: BinOp, Lambda ...)
_WRITTEN = {
    "Pow": "乘方 **", "FloorDiv": "整除 //", "Mod": "取余 %", "MatMult": "@", "LShift": "左移 <<", "RShift": "右移 >>",
    "BitOr": "按位或 |", "BitXor": "按位异或 ^", "BitAnd": "按位与 &", "Invert": "按位取反 ~", "UAdd": "正号 +",
    "Is": "is（请用 ==）", "IsNot": "is not（请用 !=）",
    "Lambda": "lambda 函数", "Subscript": "下标 [ ]", "JoinedStr": "f 字符串", "FormattedValue": "f 字符串",
    "ListComp": "列表推导式", "SetComp": "集合推导式", "DictComp": "字典推导式", "GeneratorExp": "生成器表达式",
    "Dict": "字典 { }", "Set": "集合 { }", "List": "列表 [ ]（列表只能写在 in 之后）",
    "Tuple": "元组 ( , )（只能写在 in 之后）", "Starred": "星号展开 *", "NamedExpr": "赋值表达式 :=",
    "IfExp": "条件表达式 a if b else c（请拆成两条规则）", "Await": "await", "Yield": "yield",
    "YieldFrom": "yield", "Slice": "切片 [a:b]",
}


def _describe(node: ast.AST) -> str:
    name = type(node).__name__
    return _WRITTEN.get(name, "这种写法")


_ARITHMETIC: dict[type, Callable[[Decimal, Decimal], Decimal]] = {
    ast.Add: CONTEXT.add,
    ast.Sub: CONTEXT.subtract,
    ast.Mult: CONTEXT.multiply,
    ast.Div: CONTEXT.divide,
}
_COMPARISONS = {ast.Eq: "==", ast.NotEq: "!=", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">="}
_SYMBOLS = {symbol: symbol for symbol in _COMPARISONS.values()}  # what generated code may write
_ORDER: dict[str, Callable[[Any, Any], bool]] = {
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
}
# the static types as a drafter's message names them
TYPE_NAMES = {NUMBER: "数值", STRING: "文本", BOOL: "真假值", DATE: "日期", LIST: "列表", OBJECT: "对象",
               NULL: "null", ANY: "任意值"}
