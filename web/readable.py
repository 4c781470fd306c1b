"""Conditions and amounts in readable Chinese: fact paths, parameters and operators replaced by their labels."""
from __future__ import annotations

import io
import tokenize
from dataclasses import dataclass, field

from engine.facts import FactDecl
from engine.policy import Policy

OPERATORS = {"==": "＝", "!=": "≠", "<=": "≤", ">=": "≥", "<": "＜", ">": "＞", "*": "×", "/": "÷",
             "+": "＋", "-": "−", ",": "，", "(": "（", ")": "）"}
WORDS = {"and": "且", "or": "或", "not": "并非", "in": "属于", "null": "空", "true": "是", "false": "否",
         "True": "是", "False": "否", "None": "空"}
FUNCTIONS = {"min": "较小者", "max": "较大者", "abs": "绝对值", "coalesce": "首个非空值", "round": "舍入",
             "count": "个数", "percent": "百分数"}


@dataclass
class Vocabulary:
    """The labels an expression of one case kind can name."""

    facts: dict[str, FactDecl]
    params: dict[str, str] = field(default_factory=dict)  # name -> label
    names: dict[str, str] = field(default_factory=dict)  # derived and quantity name -> label

    @classmethod
    def of(cls, policy: Policy, facts: dict[str, FactDecl], kind: str) -> Vocabulary:
        """Collect the fact, parameter and quantity labels of one case kind of a version."""
        params = {name: p.label for name, p in policy.parameters.items()}
        case = policy.cases.get(kind)
        names = {name: label for name, _, label, _ in case.quantities} if case else {}
        return cls(facts, params, names)

    def fact(self, path: list[str], scope: str | None) -> FactDecl | None:
        """Find the declaration of a dotted fact path; in a for_each rule the first name may be its alias."""
        decl = _walk(self.facts, path)
        if decl is None and scope and len(path) > 1:
            holder = _walk(self.facts, scope.split("."))
            decl = _walk(holder.fields, path[1:]) if holder is not None else None
        return decl


def _walk(decls: dict[str, FactDecl], path: list[str]) -> FactDecl | None:
    decl = None
    for part in path:
        decl = decls.get(part)
        if decl is None:
            return None
        decls = decl.fields
    return decl


def readable(source: str, vocabulary: Vocabulary, scope: str | None = None) -> str:
    """Return an expression with every name replaced by its Chinese label (the source stays the reference)."""
    try:
        tokens = [t for t in tokenize.generate_tokens(io.StringIO(source.replace("\n", " ")).readline)
                  if t.type not in (tokenize.NEWLINE, tokenize.NL, tokenize.ENDMARKER, tokenize.INDENT,
                                    tokenize.DEDENT)]
    except (tokenize.TokenError, SyntaxError):
        return source  # the loader already refused bad syntax; show the source rather than fail
    values: dict[str, str] = {}  # enum value -> label, for the enums this expression compares
    out: list[str] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.type == tokenize.NAME and token.string not in WORDS and token.string not in FUNCTIONS:
            path = [token.string]
            while i + 2 < len(tokens) and tokens[i + 1].string == "." and tokens[i + 2].type == tokenize.NAME:
                path.append(tokens[i + 2].string)
                i += 2
            out.append(_name(path, vocabulary, scope, values))
        elif token.type == tokenize.NAME:
            out.append(FUNCTIONS.get(token.string) or WORDS[token.string])
        elif token.type == tokenize.STRING:
            text = token.string[1:-1]
            out.append(f"“{values.get(text, text)}”")
        else:
            out.append(OPERATORS.get(token.string, token.string))
        i += 1
    return _join(out)


def _name(path: list[str], vocabulary: Vocabulary, scope: str | None, values: dict[str, str]) -> str:
    if path[0] == "param" and len(path) == 2:
        return f"〔{vocabulary.params.get(path[1], path[1])}〕"
    if len(path) == 1 and path[0] in vocabulary.names:
        return f"〔{vocabulary.names[path[0]]}〕"
    decl = vocabulary.fact(path, scope)
    if decl is None:
        return ".".join(path)  # a derived value without a label: its name is the best we have
    values.update(decl.labels)
    return f"〔{decl.label or decl.name}〕"


def _join(parts: list[str]) -> str:
    text = ""
    for part in parts:
        tight = part in ("（", "）", "，") or text.endswith(("（", "，"))
        text += part if (tight or not text) else " " + part
    return text.replace(" （", "（").replace("并非 属于", "不属于")
