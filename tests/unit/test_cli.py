"""The command line: validate exits 1 with located errors, evaluate prints the answer."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli import main
from tests.conftest import ROOT

BAD = ROOT / "tests" / "fixtures" / "bad_policies"


def test_validate_passes_on_the_bundled_policies(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate"]) == 0
    assert "通过：" in capsys.readouterr().out


def test_validate_prints_file_line_column_and_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(BAD / "unknown_key_did_you_mean")]) == 1
    err = capsys.readouterr().err
    where = "unknown_key_did_you_mean/listing/2022-04-29.yaml:13:1: "
    assert where + "未知的键“efective_from”；是否想写“effective_from”？" in err


@pytest.mark.parametrize("backend", ["durable", "python"])
def test_evaluate_prints_the_answer(backend: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["evaluate", str(ROOT / "examples" / "listing-case.json"), "--backend", backend]) == 0
    answer = json.loads(capsys.readouterr().out)
    # 1,000,000 + 2% × 123,456,789.01 = 2,469,135.7802 → 2,469,135.78; total 3,469,135.78; due − 1,000,000
    assert answer["total"] == "3469135.78"
    assert answer["due"] == "2469135.78"


def test_evaluate_lists_invalid_facts_by_path(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    case = tmp_path / "case.json"
    case.write_text(json.dumps({"policy": "listing", "kind": "enterprise", "facts": {"events": []}}))
    assert main(["evaluate", str(case)]) == 2
    err = capsys.readouterr().err
    assert "facts.name: 必填字段" in err and "facts.events: 至少需要 1 项" in err


def test_evaluate_refuses_half_a_utf16_pair_as_the_api_does(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # before: only the API refused it; the command line evaluated it and could not print the answer
    case = json.loads((ROOT / "examples" / "listing-case.json").read_text(encoding="utf-8"))
    case["facts"]["name"] = "SURROGATE"
    path = tmp_path / "case.json"
    path.write_text(json.dumps(case).replace("SURROGATE", "\\ud800"), encoding="utf-8")
    assert main(["evaluate", str(path), "--backend", "python"]) == 2
    assert "不成对的 UTF-16 代理项" in capsys.readouterr().err


def test_evaluate_says_why_a_case_file_cannot_be_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # audit 13: each was a Python traceback (FileNotFoundError, IsADirectoryError, UnicodeDecodeError)
    (tmp_path / "gbk.json").write_bytes('{"name": "兰山"}'.encode("gbk"))
    for name in ("missing.json", ".", "gbk.json"):
        assert main(["evaluate", str(tmp_path / name)]) == 2
    assert capsys.readouterr().err.splitlines() == [
        f"{tmp_path / 'missing.json'}: 无法读取案件文件：文件不存在",
        f"{tmp_path}: 无法读取案件文件：这是一个文件夹，不是文件",
        f"{tmp_path / 'gbk.json'}: 不是有效的 JSON：第 11 个字节起不是有效的 UTF-8 编码",  # 兰 in GBK is C0 BC
    ]


def test_evaluate_reads_a_case_saved_with_a_bom_as_the_api_does(tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    # audit 13: refused in English ("Unexpected UTF-8 BOM") while /evaluate answered the same bytes
    case = tmp_path / "case.json"
    case.write_bytes(b"\xef\xbb\xbf" + (ROOT / "examples" / "listing-case.json").read_bytes())
    assert main(["evaluate", str(case)]) == 0
    assert json.loads(capsys.readouterr().out)["total"] == "3469135.78"  # as test_evaluate_prints_the_answer


def test_serve_refuses_a_port_out_of_range(capsys: pytest.CaptureFixture[str]) -> None:
    # audit 13: --port 99999 started silently on port 34463 (99999 - 65536)
    with pytest.raises(SystemExit) as exit_:
        main(["serve", "--port", "99999"])
    assert exit_.value.code == 2
    assert "端口应在 0 到 65535 之间：99999" in capsys.readouterr().err


def test_a_bad_byte_after_a_bom_is_counted_from_the_start_of_the_file(tmp_path: Path,
                                                                       capsys: pytest.CaptureFixture[str]) -> None:
    # review: the 3 bytes of the BOM were not counted (it said 第 7 个 for the 10th byte)
    case = tmp_path / "case.json"
    case.write_bytes(b'\xef\xbb\xbf{"a":"\xff"}')  # BOM (3), then {"a":" (6): the FF is byte 10
    assert main(["evaluate", str(case)]) == 2
    assert capsys.readouterr().err.strip() == f"{case}: 不是有效的 JSON：第 10 个字节起不是有效的 UTF-8 编码"
