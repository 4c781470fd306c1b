"""Command line: ``lanshan-rules validate | evaluate | coverage | batch | serve``."""
from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from decision_log import DecisionLog, LogUnavailable, decision_of, default_url, new_answer
from engine import CaseError, PolicyLoadError, PolicySet, UnknownFamily, case_json, coverage, evaluate, load_policies
from engine.errors import unreadable

DEFAULT_POLICIES = Path(__file__).resolve().parent / "policies"
DEFAULT_FEATURES = Path(__file__).resolve().parent / "features"
DEFAULT_INSTANCE = Path(__file__).resolve().parent / "instance"  # Flask's instance folder for server.py


def main(argv: list[str] | None = None) -> int:
    """Run one subcommand and return its exit code."""
    parser = argparse.ArgumentParser(prog="lanshan-rules", description="兰山区规则服务")
    sub = parser.add_subparsers(dest="command", required=True)
    v = sub.add_parser("validate", help="检查政策文件，逐条列出 文件:行:列: 问题")
    v.add_argument("dir", nargs="?", default=str(DEFAULT_POLICIES))
    e = sub.add_parser("evaluate", help="计算一个案件（JSON 文件，- 表示标准输入）")
    e.add_argument("case")
    e.add_argument("--policies", default=str(DEFAULT_POLICIES))
    e.add_argument("--backend", default="durable", choices=("durable", "python"))
    e.add_argument("--explain", action="store_true", help="列出每条规则是否适用及原因")
    c = sub.add_parser("coverage", help="条款覆盖报告：每条是计算、程序还是宣示，及其规则、场景和解释")
    c.add_argument("family", nargs="?", help="政策族（缺省为全部）")
    c.add_argument("--policies", default=str(DEFAULT_POLICIES))
    c.add_argument("--features", default=str(DEFAULT_FEATURES))
    c.add_argument("--json", action="store_true", help="以 JSON 输出")
    b = sub.add_parser("batch", help="批量计算户籍登记表（CSV/XLSX），输出分户补偿表（XLSX）；有跳过的行时退出码为 3")
    b.add_argument("register", help="户籍登记表：.csv（UTF-8，可带 BOM）或 .xlsx")
    b.add_argument("-o", "--output", required=True, help="输出的分户补偿表 .xlsx")
    b.add_argument("--project", default="", help="征收项目名称（表头；缺省为登记表文件名）")
    b.add_argument("--policies", default=str(DEFAULT_POLICIES))
    b.add_argument("--backend", default="durable", choices=("durable", "python"))
    b.add_argument("--no-progress", action="store_true", help="不显示进度条")
    b.add_argument("--database", default=os.environ.get("LANSHAN_DATABASE_URL") or default_url(DEFAULT_INSTANCE),
                   help="决定日志：SQLite 文件或 postgresql:// 地址（缺省与服务相同：instance/decisions.sqlite3）")
    b.add_argument("--no-log", action="store_true", help="不记入决定日志（表中的决定编号将无法查询）")
    s = sub.add_parser("serve", help="在本机启动服务")
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=_port, default=8000)
    s.add_argument("--policies", default=str(DEFAULT_POLICIES))
    s.add_argument("--backend", default="durable", choices=("durable", "python"))
    args = parser.parse_args(argv)
    try:
        commands = {"validate": _validate, "evaluate": _evaluate, "coverage": _coverage, "batch": _batch,
                    "serve": _serve}
        return commands[args.command](args)
    except BrokenPipeError:  # `lanshan-rules coverage | head`: the reader left, which is not an error
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - Python flushes stdout again at exit
        return 0
    except PolicyLoadError as err:
        print(f"政策文件有 {len(err.problems)} 处问题：", file=sys.stderr)
        for problem in err.problems:
            print(problem, file=sys.stderr)
        return 1


def _validate(args: argparse.Namespace) -> int:
    policies = load_policies(args.dir, backend="python")
    versions = sum(len(f.versions) for f in policies.families.values())
    rules = sum(len(c.rules) for f in policies.families.values() for p in f.versions for c in p.cases.values())
    print(f"通过：{len(policies.families)} 个政策族，{versions} 个版本，{rules} 条规则（{policies.content_hash}）")
    return 0


def _mask_pii() -> bool:
    """LANSHAN_MASK_PII as the service reads it (a JSON value when it parses as one: true, false, 0, 1)."""
    text = os.environ.get("LANSHAN_MASK_PII", "false")
    try:
        return bool(json.loads(text))
    except ValueError:
        return bool(text)


def _port(text: str) -> int:
    """A TCP port: 99999 would otherwise be bound as 34463 (99999 - 65536) without a word."""
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"端口应为整数：{text}") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"端口应在 0 到 65535 之间：{text}")
    return port


def _evaluate(args: argparse.Namespace) -> int:
    try:
        text = sys.stdin.buffer.read() if args.case == "-" else Path(args.case).read_bytes()
    except OSError as err:
        print(f"{args.case}: 无法读取案件文件：{unreadable(err)}", file=sys.stderr)
        return 2
    try:
        case = case_json.loads(text)
    except (ValueError, RecursionError) as err:
        print(f"{args.case}: 不是有效的 JSON：{err}", file=sys.stderr)
        return 2
    policies = load_policies(args.policies, backend=args.backend)
    try:
        answer = evaluate(policies, case, explain=args.explain)
    except CaseError as err:
        for error in err.errors:
            print(f"{error.path}: {error.message}", file=sys.stderr)
        return 2
    except UnknownFamily as err:
        print(err, file=sys.stderr)
        return 2
    print(json.dumps(answer, ensure_ascii=False, indent=2))
    return 0


def _coverage(args: argparse.Namespace) -> int:
    """Print the coverage report; exit 1 when a computed article has no rule or no scenario."""
    policies = load_policies(args.policies, backend="python")
    families = [args.family] if args.family else sorted(policies.families)
    gaps = 0
    output: dict[str, list[dict[str, object]]] = {}
    for family in families:
        if family not in policies.families:
            print(f"未知的政策族“{family}”", file=sys.stderr)
            return 2
        for policy in policies.families[family].current():  # one table per instrument in force
            table = coverage.rows(policy, Path(args.features) / family)
            gaps += sum(1 for r in table if r.missing)
            if args.json:
                output.setdefault(family, []).extend(coverage.as_json(table))
            else:
                print(coverage.as_text(family, policy, table), end="\n\n")
    if args.json:
        print(json.dumps(output, ensure_ascii=False, indent=2))
    if gaps:
        print(f"有 {gaps} 条计算条款缺少规则或场景", file=sys.stderr)
    return 1 if gaps else 0


def _batch(args: argparse.Namespace) -> int:
    """Evaluate a register; exit 0 when every row was evaluated, 3 when some were skipped, 2 when none could be."""
    import batch
    from register import RegisterError

    policies = load_policies(args.policies, backend=args.backend)
    try:
        decide = None if args.no_log else _logged(policies, DecisionLog(args.database, mask_pii=_mask_pii()))
    except LogUnavailable as err:  # nothing is evaluated without its record
        print(f"无法打开决定记录库 {args.database}：{err}（可用 --database 另选，或 --no-log 不记录）", file=sys.stderr)
        return 2
    try:
        result = batch.run(args.register, args.output, policies, decide, project=args.project,
                           progress=not args.no_progress)
    except RegisterError as err:
        print(err, file=sys.stderr)
        return 2
    except OSError as err:
        print(f"无法写入 {args.output}：{err.strerror or err}", file=sys.stderr)
        return 2
    print(f"已计算 {len(result.decided)} 户，跳过 {len({e.row for e in result.skipped})} 行；分户补偿表：{args.output}",
          file=sys.stderr)
    outside = [row.row for row, answer in result.decided if answer.get("status") == "no_policy_in_force"]
    if outside:  # computed, with nothing to pay: most often a mistyped decision date, so say which rows
        rows = "、".join(f"第 {n} 行" for n in outside[:20]) + ("等" if len(outside) > 20 else "")
        print(f"其中 {len(outside)} 户没有适用的政策版本，合计栏留空（{rows}），请核对房屋征收决定作出之日",
              file=sys.stderr)
    return result.exit_code


def _logged(policies: PolicySet, log: DecisionLog) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """A ``decide`` that commits each household's decision to the log before the table is written."""
    def decide(case: dict[str, Any]) -> dict[str, Any]:
        result = new_answer(policies, case)
        log.record(policies, [decision_of(policies, case, result)])
        return result

    return decide


def _serve(args: argparse.Namespace) -> int:
    from server import create_app

    app = create_app({"POLICIES_DIR": args.policies, "BACKEND": args.backend})
    app.run(host=args.host, port=args.port, threaded=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
