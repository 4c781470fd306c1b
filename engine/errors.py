"""The one error hierarchy of the engine: problems found at load time, and problems found per case."""
from __future__ import annotations

from dataclasses import dataclass


class RulesError(Exception):
    """Root of every error the engine raises on purpose."""


@dataclass(frozen=True)
class Problem:
    """One located problem in a policy file."""

    file: str
    line: int  # 1-based
    column: int  # 1-based
    message: str
    yaml_path: str = ""

    def __str__(self) -> str:
        where = f" [{self.yaml_path}]" if self.yaml_path else ""
        return f"{self.file}:{self.line}:{self.column}: {self.message}{where}"


class PolicyLoadError(RulesError):
    """A policy set breaks the format; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=lambda p: (p.file, p.line, p.column))
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass(frozen=True)
class FieldError:
    """One problem in a case, at its field path (``facts.property.building_area``)."""

    path: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"path": self.path, "message": self.message}


class CaseError(RulesError):
    """A case cannot be evaluated as sent: every problem is listed by field path."""

    def __init__(self, errors: list[FieldError]):
        self.errors = errors
        super().__init__("; ".join(f"{e.path}: {e.message}" for e in errors))


class UnknownFamily(RulesError):
    """The case names a policy family or case kind that no bundled policy provides."""

    def __init__(self, family: str, kind: str | None, known: list[str], field: str = "policy"):
        self.family = family
        self.kind = kind
        self.known = known
        self.field = field  # the request field at fault: "policy", or "kind" of a family that exists
        what = f"未知的政策族：{family}" if field == "policy" else f"未知的案件类型：{family}/{kind}"
        super().__init__(f"{what}；现有：{', '.join(known)}")


def unreadable(err: OSError, missing: str = "文件不存在") -> str:
    """Why a file could not be read, in words (``missing``: what a FileNotFoundError means where it is read)."""
    return {FileNotFoundError: missing, IsADirectoryError: "这是一个文件夹，不是文件",
            PermissionError: "没有读取权限"}.get(type(err), err.strerror or str(err))
