"""Loading a policies directory: every file checked, every problem reported with file:line:column.

``load_policies(root)`` reads ``<root>/<family>/facts.yaml`` and the family's version files, checks
their shape (``policy_format``), then their meaning: expressions and the names they use, duplicate
rule ids, unknown interpretations, parameters without a value on the first day, and versions whose
validity overlaps.  Nothing is returned unless the whole set is sound.
"""
from __future__ import annotations

import datetime
import hashlib
import itertools
from decimal import Decimal
from pathlib import Path
from typing import Any

from marshmallow import ValidationError
from ruamel.yaml.comments import CommentedMap

from .backends import get_backend
from .errors import PolicyLoadError, Problem, unreadable
from .evaluator import compile_outputs, compile_quantities
from .expressions import (
    ANY,
    BOOL,
    TYPE_NAMES,
    ExpressionError,
    did_you_mean,
)
from .facts import ENGINE_STATUSES, CaseKind, Check, FactDecl, bounds_check, build_schema, compile_check
from .money import check_magnitude, to_decimal
from .policy import (
    Family,
    Policy,
    PolicySet,
)
from .policy_format import FACTS_FILE, VERSION_FILE, check, describe
from .version_compiler import VersionCompiler
from .yaml_source import key_position, read_yaml, value_position

FACTS_NAME = "facts.yaml"


def load_policies(root: str | Path, backend: str = "durable", previous: PolicySet | None = None) -> PolicySet:
    """Load and compile every family under ``root``; raise ``PolicyLoadError`` listing all problems.

    With ``previous`` (a reload), a family whose files are byte for byte unchanged is reused as it
    was compiled, so a reload costs only the families that changed.
    """
    root = Path(root)
    problems: list[Problem] = []
    if not root.is_dir():
        why = "这是一个文件，不是政策目录（应给出 policies 这样的目录）" if root.is_file() else "政策目录不存在"
        raise PolicyLoadError([Problem(str(root), 1, 1, why)])
    engine_backend = get_backend(backend) if previous is None else previous.backend
    families: dict[str, Family] = {}
    digest = hashlib.sha256()
    sources: dict[str, bytes] = {}
    fresh: list[Family] = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))):
        files = _read_files(folder, root, problems)
        for name, data in files.items():
            sources[f"{folder.name}/{name}"] = data
            digest.update(f"{folder.name}/{name}".encode() + b"\0" + data)
        family = _unchanged(previous, folder.name, files)
        if family is None:
            try:
                family = _load_family(folder, root, files, problems)
            except RecursionError:  # a version's own is located in _load_version; this is the last resort
                problems.append(Problem(_display(folder, root), 1, 1, "表达式或结构嵌套过深，无法编译"))
                family = None
            if family is not None:
                fresh.append(family)
        if family is not None:
            families[family.name] = family
    if not families and not problems:  # an emptied directory, or one family's folder given as the root
        problems.append(Problem(str(root), 1, 1, "目录中没有任何政策族"
                                "（每个政策族是一个含 facts.yaml 和版本文件的子目录）"))
    if problems:
        raise PolicyLoadError(problems)
    for family in fresh:
        for policy in family.versions:
            for case in policy.cases.values():
                try:
                    case.handle = engine_backend.prepare(f"{family.name}/{policy.version}/{case.kind}", case.rules)
                except RecursionError:  # a condition too long for the backend (1,200 names in one "not in")
                    problems.append(Problem(policy.file, 1, 1,
                                            f"{case.kind} 的条件过长或嵌套过深，无法编译：请拆成几个派生量或规则"))
                case.backend = engine_backend
                compile_quantities(case)  # generated now, or not at all, as every other code of this load
                for rule in case.rules:
                    compile_outputs(rule)
    if problems:
        raise PolicyLoadError(problems)
    return PolicySet(str(root), families, "sha256:" + digest.hexdigest(), engine_backend, sources)


def _read_files(folder: Path, root: Path, problems: list[Problem]) -> dict[str, bytes]:
    """The bytes of a family's ``*.yaml`` files; an editor's hidden file (``.#x.yaml``) is not one of them."""
    files: dict[str, bytes] = {}
    for path in sorted(folder.iterdir()):
        suffix = path.suffix
        if suffix != ".yaml" and suffix.lower() in (".yaml", ".yml") and not path.name.startswith("."):
            # never read: a version saved as .yml or .YAML would be silently missing
            problems.append(Problem(_display(path, root), 1, 1, f"扩展名应为 .yaml：{suffix} 文件不会被读取"))
    for path in sorted(folder.glob("*.yaml")):
        if path.name.startswith("."):
            continue
        try:
            files[path.name] = path.read_bytes()
        except OSError as e:  # a folder named x.yaml, a broken link, no permission
            why = unreadable(e, missing="这是指向不存在文件的链接")  # it was listed, so only a link can be missing
            problems.append(Problem(_display(path, root), 1, 1, f"无法读取文件：{why}"))
    return files


def _unchanged(previous: PolicySet | None, name: str, files: dict[str, bytes]) -> Family | None:
    """The previous set's compiled family when its files are byte for byte the same."""
    if previous is None or name not in previous.families:
        return None
    before = {key.split("/", 1)[1]: data for key, data in previous.sources.items() if key.split("/", 1)[0] == name}
    return previous.families[name] if before == files else None


def _display(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root.parent))
    except ValueError:
        return str(path)


def _load_family(folder: Path, root: Path, files: dict[str, bytes], problems: list[Problem]) -> Family | None:
    facts_path = folder / FACTS_NAME
    if not files:
        return None  # an empty family folder (a family still to be encoded) is not an error
    if FACTS_NAME not in files:
        problems.append(Problem(_display(folder, root), 1, 1, f"缺少事实词汇文件 {FACTS_NAME}"))
        return None
    before = len(problems)
    hashes = {name: hashlib.sha256(data).hexdigest() for name, data in files.items()}
    kinds = _load_facts(facts_path, folder.name, _display(facts_path, root), problems, files[FACTS_NAME])
    versions = []
    for name, data in files.items():
        if name == FACTS_NAME:
            continue
        path = folder / name
        policy = _load_version(path, folder.name, kinds, _display(path, root), problems, hashes, data)
        if policy is not None:
            versions.append(policy)
    if kinds is not None and len(files) == 1:  # a version renamed .yaml.bak: every case would be an unknown family
        problems.append(Problem(_display(folder, root), 1, 1, f"政策族“{folder.name}”只有 {FACTS_NAME}，没有版本文件"
                                "（如 2022-04-29.yaml）：请补上版本文件，或把整个目录移出"))
    versions.sort(key=lambda p: p.effective_from)
    _check_overlaps(versions, problems)
    if len(problems) > before or kinds is None:
        return None
    return Family(folder.name, kinds, versions)


# -- facts.yaml ----------------------------------------------------------------------------

def _load_facts(path: Path, family: str, display: str, problems: list[Problem],
                source: bytes) -> dict[str, CaseKind] | None:
    data, found = read_yaml(path, display, source)
    if data is None:
        problems.extend(found or [Problem(display, 1, 1, "文件为空")])
        return None
    shape_problems = check(data, FACTS_FILE, display)
    if shape_problems:
        problems.extend(shape_problems)
        return None
    if data["family"] != family:
        line, col = value_position(data, "family")
        problems.append(Problem(display, line, col, f"family 应与目录名一致：“{family}”"))
    kinds: dict[str, CaseKind] = {}
    for kind_name, spec in data["kinds"].items():
        decls = {name: _fact(name, d, display, problems) for name, d in spec["facts"].items()}
        checks = _checks(decls, spec.get("checks") or [], display, problems)
        statuses = {str(k): str(v) for k, v in (spec.get("statuses") or {}).items()}
        for code in statuses.keys() & ENGINE_STATUSES.keys():  # its label would hide the engine's own
            line, col = key_position(spec["statuses"], code)
            problems.append(Problem(display, line, col, f"结论“{code}”是引擎自身的结论（{ENGINE_STATUSES[code]}），"
                                    "不能在 statuses 中声明；statuses 只列规则给出的结论"))
        kind = CaseKind(family, kind_name, spec.get("description", ""), decls, checks, statuses)
        kinds[kind_name] = kind
    if not any(p.file == display for p in problems):
        for kind in kinds.values():
            build_schema(kind)
    return kinds


def _fact(name: str, d: CommentedMap, display: str, problems: list[Problem]) -> FactDecl:
    decl = FactDecl(
        name=name,
        type=d["type"],
        label=d.get("label", ""),
        required=bool(d.get("required", False)),
        default=_plain(d.get("default")),
        values=tuple(d.get("values") or ()),
        labels={str(k): str(v) for k, v in (d.get("labels") or {}).items()},
        minimum=_number(d.get("minimum")),
        exclusive_minimum=_number(d.get("exclusive_minimum")),
        maximum=_number(d.get("maximum")),
        min_items=int(d.get("min_items", 0)),
        pii=bool(d.get("pii", False)),
        multiline=bool(d.get("multiline", False)),
        default_from=d.get("default_from"),
        fields={k: _fact(k, v, display, problems) for k, v in (d.get("fields") or {}).items()},
    )
    def problem(node: Any, key: Any, message: str, at_key: bool = False) -> None:
        line, col = key_position(node, key) if at_key else value_position(node, key)
        problems.append(Problem(display, line, col, message))

    if decl.type == "enum":
        if "labels" not in d:
            problem(d, "type", f"enum 类型的事实需要“labels”写出每个可选值的中文名称：{'、'.join(decl.values)}", True)
        elif missing := [v for v in decl.values if v not in decl.labels]:
            problem(d, "labels", f"可选值{'、'.join(f'“{v}”' for v in missing)}没有中文名称：请在 labels 中补上", True)
    for value in decl.labels:
        if value not in decl.values:
            problem(d["labels"], value, f"labels 中的“{value}”不是可选值{did_you_mean(value, decl.values)}", True)
    if decl.fields and decl.type not in ("object", "list"):
        problem(d, "fields", f"只有 object 和 list 类型的事实可以有 fields，这里是 {decl.type}", True)
    if decl.minimum is not None and decl.maximum is not None and decl.minimum > decl.maximum:
        problem(d, "maximum", f"maximum {decl.maximum} 小于 minimum {decl.minimum}：没有值能通过")
    if decl.default is not None:
        why = _bad_default(decl)
        if why is not None:
            problem(d, "default", f"default 不可用：{why}")
            decl.default = None
    if decl.type in ("object", "list"):
        decl.checks = _checks(decl.fields, d.get("checks") or [], display, problems)
        for name, child in decl.fields.items():
            if child.default_from and child.default_from not in decl.fields:
                line, col = value_position(d["fields"][name], "default_from")
                problems.append(Problem(display, line, col, f"default_from 指向的字段“{child.default_from}”不存在"
                                        f"{did_you_mean(child.default_from, decl.fields)}"))
    return decl


def _checks(decls: dict[str, FactDecl], raw: list[Any], display: str, problems: list[Problem]) -> list[Check]:
    """Compile the cross-field checks declared on one object (or on the case itself)."""
    checks: list[Check] = []
    for index, c in enumerate(raw):
        missing = _missing_part(c["field"], decls)
        if missing is not None:
            line, col = value_position(c, "field")
            problems.append(Problem(display, line, col, f"检查指向的字段“{c['field']}”不存在{missing}"))
            continue
        key = "assert" if "assert" in c else "required_when" if "required_when" in c else None
        if key is None:
            line, col = value_position(raw, index)
            problems.append(Problem(display, line, col, "检查需要“assert”或“required_when”"))
            continue
        try:
            expr = compile_check(str(c[key]), decls)
        except ExpressionError as e:
            line, col = value_position(c, key)
            problems.append(Problem(display, line, col, f"{e.message}（表达式：{c[key]}）"))
            continue
        if expr.type not in (BOOL, ANY):  # a date or a number is always "true": the check would never hold back a case
            line, col = value_position(c, key)
            problems.append(Problem(display, line, col, f"{key} 的表达式“{c[key]}”的结果应为真假值，"
                                    f"实际为{TYPE_NAMES.get(expr.type, expr.type)}"))
            continue
        if key == "assert":
            checks.append(Check(expr, c["field"], c["message"]))
        else:
            checks.append(Check(None, c["field"], c["message"], when=expr))
    return checks


def _missing_part(path: str, decls: dict[str, FactDecl]) -> str | None:
    """Return None when a dotted field path exists, else a did-you-mean hint for its first bad part."""
    for part in path.split("."):
        if part not in decls:
            return did_you_mean(part, decls)
        decls = decls[part].fields
    return None


def _bad_default(decl: FactDecl) -> str | None:
    """Why a declared default cannot stand for a fact left out (it is used as written, never validated), or None.

    A sound numeric default is stored as the fact's own type (Decimal, or int for an integer fact).
    """
    value = decl.default
    if decl.type == "object":
        return None if value == {} else "对象事实的 default 只能是 {}（表示各字段取其默认值）"
    if decl.type == "list":
        return None if value == [] else "列表事实的 default 只能是 []"
    if decl.type in ("decimal", "integer"):
        if isinstance(value, bool) or not isinstance(value, (int, Decimal, str)):
            return f"应为数值，实际为{describe(value)}"
        try:
            number = to_decimal(value)
            check_magnitude(number)  # a default stands for what a case would send: the same limits
        except ValueError as e:  # to_decimal's "not a number", or check_magnitude's limits
            return f"“{value}”不是数值" if "不是有效的数值" in str(e) else str(e)
        if decl.type == "integer" and number != number.to_integral_value():
            return f"{value} 不是整数"
        bounds = bounds_check(decl)
        try:
            bounds(number)
        except ValidationError as e:
            return "；".join(e.messages) if isinstance(e.messages, list) else str(e.messages)
        decl.default = number if decl.type == "decimal" else int(number)
        return None
    expected = {"bool": bool, "date": datetime.date, "string": str, "enum": str}[decl.type]
    if not isinstance(value, expected) or (expected is not bool and isinstance(value, bool)):
        return f"应为{_TYPE_WORDS[decl.type]}，实际为{describe(value)}"
    if decl.type == "enum" and value not in decl.values:
        return f"“{value}”不是可选值{did_you_mean(str(value), decl.values)}"
    return None


_TYPE_WORDS = {"bool": " true 或 false", "date": "日期（YYYY-MM-DD）", "string": "文本", "enum": "可选值之一"}


def _plain(value: Any) -> Any:
    if isinstance(value, CommentedMap):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _number(value: Any) -> Decimal | None:
    return None if value is None else to_decimal(value)


# -- a version file ------------------------------------------------------------------------

def _load_version(path: Path, family: str, kinds: dict[str, CaseKind] | None, display: str,
                  problems: list[Problem], hashes: dict[str, str], source: bytes) -> Policy | None:
    data, found = read_yaml(path, display, source)
    if data is None:
        problems.extend(found or [Problem(display, 1, 1, "文件为空")])
        return None
    shape_problems = check(data, VERSION_FILE, display)
    if shape_problems or kinds is None:  # without a sound facts.yaml the rules cannot be checked further
        problems.extend(shape_problems)
        return None
    if str(data["version"]) != path.stem:  # a copied file whose version was not changed would shadow the old one
        line, column = value_position(data, "version")
        problems.append(Problem(display, line, column, f"version “{data['version']}”应与文件名一致："
                                f"“{path.stem}”（复制旧版本新建时，请同时改文件名、version 和 effective_from）"))
        return None
    try:
        return VersionCompiler(data, family, kinds, display, problems, hashes, path.name).compile()
    except RecursionError:
        problems.append(Problem(display, 1, 1, "表达式嵌套或连写过长（如上百项连加），无法编译：请拆成几个派生量"))
        return None


def _check_overlaps(versions: list[Policy], problems: list[Problem]) -> None:
    # versions that decide no common case kind (two instruments of one family) may run in parallel
    pairs: dict[tuple[str, str], tuple[Policy, Policy]] = {}
    for kind in dict.fromkeys(k for p in versions for k in p.cases):
        for a, b in itertools.pairwise([p for p in versions if kind in p.cases]):
            pairs.setdefault((a.file, b.file), (a, b))
    for earlier, later in pairs.values():
        if earlier.effective_to is None or earlier.effective_to >= later.effective_from:
            end = earlier.effective_to.isoformat() if earlier.effective_to else "无终止日"
            problems.append(Problem(
                later.file, later.line, 1,
                f"有效期与 {earlier.file}（{earlier.effective_from} 至 {end}）重叠：同一政策族的版本有效期不得重叠",
            ))
