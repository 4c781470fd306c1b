"""Reading policy YAML safely, keeping the line and column of every key and value.

libyaml (the C parser of ``ruamel.yaml.clib``) composes the node tree and ``yaml_nodes`` builds the
data from it: ruamel.yaml's pure-Python round-trip loader spent most of a policy load in its
scanner.  When libyaml refuses a document (or is not installed), ruamel.yaml's pure-Python parser
reads it instead, so a syntax error keeps the wording and the place it always had, and a document
YAML 1.2 allows but libyaml refuses still loads.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import Node
from ruamel.yaml.resolver import VersionedResolver

from .errors import Problem
from .yaml_nodes import InvalidDate, Misread, build, resolve

try:
    from ruamel.yaml.cyaml import CParser
except ImportError:  # no ruamel.yaml.clib: every file goes through the pure-Python parser
    CParser = None

__all__ = ["InvalidDate", "key_position", "node_position", "read_yaml", "value_position"]


def read_yaml(path: Path, display: str, data: bytes | None = None) -> tuple[Any, list[Problem]]:
    """Parse one YAML file (or the bytes already read from it); return its data, or None with the located problem."""
    try:
        text = path.read_text(encoding="utf-8") if data is None else data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = (data or b"")[:e.start].count(b"\n") + 1
        return None, [Problem(display, line, 1, "文件不是 UTF-8 编码（可能是 GBK）：请在编辑器中另存为 UTF-8")]
    except OSError as e:
        return None, [Problem(display, 1, 1, f"无法读取文件：{e}")]
    unprintable = _UNPRINTABLE.search(text)
    if unprintable is not None:  # the parsers refuse it in English, with no line ("unacceptable character #x0000")
        line_start = text.rfind("\n", 0, unprintable.start()) + 1
        message = (f"文件中有不可见的控制字符 U+{ord(unprintable.group()):04X}（常见于从别处粘贴的文字）：请删去它")
        return None, [Problem(display, text.count("\n", 0, line_start) + 1, unprintable.start() - line_start + 1,
                              message)]
    deep = _too_deep(text)
    if deep is not None:
        message = f"嵌套超过 {MAX_DEPTH} 层（[ {{ 括号或缩进），不是政策文件的结构"
        return None, [Problem(display, deep[0], deep[1], message)]
    try:
        return build(_compose(text)), []
    except Misread as e:
        return None, [Problem(display, e.line + 1, e.column + 1, e.message)]
    except MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = (e.problem or "YAML 语法错误").strip()
        if mark and "but found '<scalar>'" in problem and _after_quote(text, mark.line, mark.column):
            problem = f"引号内的文字之后还有文字：请把整段都放进引号，或去掉引号（{problem}）"
            return None, [Problem(display, line, column, f"YAML 语法错误：{problem}")]
        return None, [Problem(display, line, column, f"YAML 语法错误：{_in_words(problem)}")]
    except Exception as e:  # the parsers raise a few unmarked errors on exotic input (control characters)
        return None, [Problem(display, 1, 1, f"YAML 无法解析：{e}")]


# the parser's commonest complaints, said as a drafter would fix them (its own words follow in brackets)
_PARSER_WORDS = (
    ("cannot start any token", "不能用制表符（Tab）或全角空格缩进，请用半角空格"),
    ("mapping values are not allowed here", "此处不能写“键: 值”：缩进不对，或用了全角冒号“：”"),
    ("expected <block end>", "缩进不一致：同一层的键应左端对齐"),
    ("did not find expected key", "缩进不一致，或列表项“- ”与键写在了同一层"),
    ("could not find expected ':'", "找不到“:”：键之后应是半角冒号和空格"),
    ("found unexpected end of stream", "文件意外结束：引号或括号没有闭合"),
    ("found unknown escape character", "双引号文本中有无效的反斜杠转义：可改用单引号"),
    ("expected ',' or ']'", "方括号列表没有闭合，或项之间缺少半角逗号"),
    ("expected ',' or '}'", "花括号没有闭合，或项之间缺少半角逗号"),
)


def _after_quote(text: str, line: int, column: int) -> bool:
    """Tell whether the 0-based place follows a closing quote on its line: key: "引文"，之后的文字."""
    lines = text.splitlines()
    before = lines[line][:column].rstrip() if line < len(lines) else ""
    return before.endswith(('"', "'")) and ":" in before


def _in_words(problem: str) -> str:
    for words, said in _PARSER_WORDS:
        if words in problem:
            return f"{said}（{problem}）"
    return problem


# the characters YAML 1.2 does not allow in a document (its c-printable set is everything else)
_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]")
MAX_DEPTH = 100  # policy files nest a few levels; libyaml's composer recurses in C and crashes on thousands


_NESTING = re.compile(r"[\[\]{}\n]")
_DEEP_INDENT = re.compile(rf"^ {{{MAX_DEPTH * 2 + 1}}}", re.MULTILINE)


def _too_deep(text: str) -> tuple[int, int] | None:
    """The (line, column) where brackets or indentation first nest beyond MAX_DEPTH, or None.

    Counted on the raw text, quotes and comments included: it can only refuse a file that nests
    absurdly, never change how a sound one is read.  Only brackets and line ends are visited.
    """
    indented = _DEEP_INDENT.search(text)
    if indented is not None:
        return text.count("\n", 0, indented.start()) + 1, 1
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return None  # the common case, decided without a loop
    depth, line, line_start = 0, 1, 0
    for mark in _NESTING.finditer(text):
        char = mark.group()
        if char == "\n":
            line, line_start = line + 1, mark.end()
        elif char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return line, mark.start() - line_start + 1
        else:
            depth = max(depth - 1, 0)
    return None


class _PythonResolver(VersionedResolver):
    """The pure-Python parser's resolver: the same typing as libyaml's composer gets."""

    resolve = staticmethod(resolve)


if CParser is not None:
    class _LibyamlComposer(CParser):  # type: ignore[misc, valid-type]
        """libyaml's composer, typing every untagged node with ``yaml_nodes.resolve``."""

        resolve = staticmethod(resolve)

        def descend_resolver(self, parent: Any, index: Any) -> None:
            pass

        def ascend_resolver(self) -> None:
            pass


# a %YAML directive stands before the document, after nothing but blank and comment lines
_DIRECTIVE = re.compile(r"\ufeff?(?:[ \t]*(?:#[^\n]*)?\r?\n)*%YAML[ \t]+(\S+)")


def _compose(text: str) -> Node | None:
    directive = _DIRECTIVE.match(text)
    if directive and directive[1] != "1.2":  # 1.1 types yes/no and 010 otherwise: refused rather than misread
        line = text.count("\n", 0, directive.start(1))
        raise Misread(line, 0, f"不支持 %YAML {directive[1]}：政策文件按 YAML 1.2 读取，请删去这一行")
    if CParser is not None:
        parser = _LibyamlComposer(text)
        try:
            return parser.get_single_node()  # type: ignore[no-any-return]
        except YAMLError:
            pass  # libyaml words its errors its own way: the pure-Python parser below says it as it always did
        finally:
            parser.dispose()
    yaml = YAML(typ="rt")
    yaml.Resolver = _PythonResolver
    return yaml.compose(text)  # type: ignore[no-any-return]


def key_position(node: Any, key: Any) -> tuple[int, int]:
    """Return the 1-based line and column of a mapping key (or of the mapping itself).

    A key merged in by ``<<`` is located where it is written: in the mapping it was merged from.
    """
    if isinstance(node, CommentedMap) and key in node:
        source = _written_in(node, key)
        if source is not None:
            line, col = source.lc.key(key)
            return line + 1, col + 1
    return node_position(node)


def value_position(node: Any, key: Any) -> tuple[int, int]:
    """Return the 1-based line and column of a mapping value or sequence item."""
    if isinstance(node, CommentedMap) and key in node:
        source = _written_in(node, key)
        if source is not None:
            line, col = source.lc.value(key)
            return line + 1, col + 1
    if isinstance(node, CommentedSeq) and isinstance(key, int) and 0 <= key < len(node):
        try:
            line, col = node.lc.item(key)
            return line + 1, col + 1
        except (KeyError, AttributeError, TypeError):
            pass
    return node_position(node)


def _written_in(node: CommentedMap, key: Any) -> CommentedMap | None:
    """The mapping where a key of ``node`` is written: ``node`` itself, or one it merged in with ``<<``."""
    lc = getattr(node, "lc", None)
    if lc is not None and key in (lc.data or {}):
        return node
    for source in getattr(node, "merge", None) or []:  # the first merged mapping wins, as in the data
        if isinstance(source, CommentedMap) and key in source:
            return _written_in(source, key)
    return None


def node_position(node: Any) -> tuple[int, int]:
    """Return the 1-based position where a mapping or sequence starts."""
    lc = getattr(node, "lc", None)
    if lc is not None and lc.line is not None:
        return lc.line + 1, lc.col + 1
    return 1, 1
