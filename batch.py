"""Batch evaluation of a household register: every row decided, a bad row skipped and reported, never the rest.

``run`` reads the register, passes each case to ``decide`` (by default the engine's ``evaluate`` with
a decision id, the same path as ``server.answer``; the decision log can be plugged in instead), and
writes the per-household compensation table that article 24 requires to be published.
"""
from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from tqdm import tqdm

from compensation_table import write_table
from decision_log import new_answer
from engine import CaseError, PolicySet, RulesError
from register import FAMILY, KIND, RegisterError, RegisterRow, RowError, read_register

Decide = Callable[[dict[str, Any]], dict[str, Any]]
EXIT_ALL_EVALUATED = 0
EXIT_ROWS_SKIPPED = 3  # the table was written, but some rows are listed in “跳过的行” instead


@dataclass
class BatchResult:
    """What a batch run did: the households decided and the rows skipped, in register order."""

    decided: list[tuple[RegisterRow, dict[str, Any]]] = field(default_factory=list)
    skipped: list[RowError] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        """Return 0 when every row was evaluated, ``EXIT_ROWS_SKIPPED`` when some were skipped."""
        return EXIT_ROWS_SKIPPED if self.skipped else EXIT_ALL_EVALUATED


def engine_decide(policies: PolicySet) -> Decide:
    """Return the default ``decide``: the engine's answer with a decision id, as the service gives it."""
    def decide(case: dict[str, Any]) -> dict[str, Any]:
        return new_answer(policies, case)
    return decide


def run(register: str | Path, output: str | Path, policies: PolicySet, decide: Decide | None = None, *,
        project: str = "", progress: bool = True, stderr: TextIO | None = None) -> BatchResult:
    """Evaluate every household of a register and write the compensation table; raise ``RegisterError``."""
    err = stderr if stderr is not None else sys.stderr
    decide = decide or engine_decide(policies)
    if Path(output).resolve() == Path(register).resolve():
        raise RegisterError(f"{output}：分户补偿表不能写入户籍登记表本身，请另选输出文件")
    if Path(output).suffix.lower() != ".xlsx":  # the table is always XLSX: a .csv name would hide that
        raise RegisterError(f"{output}：分户补偿表是 XLSX 文件，输出文件名须以 .xlsx 结尾，"
                            f"例如 {Path(output).with_suffix('.xlsx').name}")
    if FAMILY not in policies.families or KIND not in policies.families[FAMILY].kinds:
        raise RegisterError(f"政策目录中没有 {FAMILY}/{KIND}，无法计算户籍登记表")
    kind = policies.families[FAMILY].kinds[KIND]
    rows, unreadable = read_register(register, kind)
    result = BatchResult()
    waiting = sorted(unreadable, key=lambda e: e.row)  # said in row order, among the rows the engine refuses
    said = 0
    with tqdm(total=len(rows), desc="计算", unit="户", file=err, disable=not progress) as bar:
        for row in rows:
            outcome = _decide_row(row, decide)
            while said < len(waiting) and waiting[said].row < row.row:
                bar.write(_line(waiting[said]), file=err)
                said += 1
            if isinstance(outcome, dict):
                result.decided.append((row, outcome))
            else:
                result.skipped.extend(outcome)
                for problem in outcome:
                    bar.write(_line(problem), file=err)
            bar.update()
        for problem in waiting[said:]:
            bar.write(_line(problem), file=err)
    result.skipped = sorted(unreadable + result.skipped, key=lambda e: e.row)
    policy = policies.families[FAMILY].versions[-1]
    write_table(output, result.decided, result.skipped, policy=policy, kind=kind,
                project=project or Path(register).stem, register=Path(register).name)
    return result


def _decide_row(row: RegisterRow, decide: Decide) -> dict[str, Any] | list[RowError]:
    """Decide one row; an error of any kind skips this row only."""
    try:
        return decide(row.case)
    except CaseError as e:
        return [RowError(row.row, row.household, row.header_of(x.path), x.message) for x in e.errors]
    except RulesError as e:
        return [RowError(row.row, row.household, "", str(e))]
    except Exception as e:  # a defect for one household must not lose the other rows; it is reported
        return [RowError(row.row, row.household, "", f"计算出错（{type(e).__name__}: {e}），本行未计算")]


def _line(problem: RowError) -> str:
    where = f"“{problem.header}”列：" if problem.header else ""
    return f"第 {problem.row} 行（户号 {problem.household or '—'}）跳过：{where}{problem.message}"
