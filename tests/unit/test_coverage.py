"""The article coverage report: every computed article has rules and Chinese scenarios."""
from __future__ import annotations

from pathlib import Path

import pytest

from cli import main
from engine.coverage import references, rows
from tests.conftest import ROOT

FEATURES = ROOT / "features"


@pytest.mark.parametrize("family", ["expropriation", "listing", "interpretation", "enterprise_policy", "targets"])
def test_every_computed_article_has_rules_and_scenarios(python_policies, family: str) -> None:
    for policy in python_policies.families[family].current():  # each instrument of the family
        table = rows(policy, FEATURES / family)
        assert table, "the version has no article catalogue"
        gaps = {r.article: r.missing for r in table if r.missing}
        assert gaps == {}


def test_the_expropriation_catalogue_is_the_whole_measure(python_policies) -> None:
    policy = python_policies.families["expropriation"].versions[-1]
    assert len(policy.articles) == 58
    computed = {a.id for a in policy.articles if a.status == "computed"}
    household = {"第十三条", "第十四条", "第二十条", "第二十六条", "第二十七条", "第二十八条", "第二十九条",
                 "第三十一条", "第三十二条", "第三十三条", "第三十四条", "第三十五条", "第三十六条",
                 "第三十七条", "第三十八条", "第三十九条", "第四十条", "第四十一条", "第五十七条", "第五十八条"}
    procedure = {"第十一条", "第十二条", "第十三条", "第十五条", "第十六条", "第十七条", "第十八条", "第十九条",
                 "第二十二条", "第二十三条", "第四十五条", "第四十八条", "第四十九条"}
    assert computed == household | procedure  # the articles issues 3 and 5 name as computable


@pytest.mark.parametrize(("family", "computed"), [
    ("interpretation", {"一、落实政策解读责任", "二、明确政策解读范围", "四、把握政策解读内容", "附件1", "落款"}),
    ("enterprise_policy", {"四、梳理范围", "五（一）1", "五（一）2", "落款"}),
])
def test_the_issue_8_families_compute_what_issue_8_names(python_policies, family: str, computed: set[str]) -> None:
    policy = python_policies.families[family].versions[-1]
    assert {a.id for a in policy.articles if a.status == "computed"} == computed


def test_references_do_not_confuse_nested_numbers() -> None:
    ids = ["第三条", "第三十三条", "一", "二（五）"]
    assert references("第三十三条 空置院落", ids) == ["第三十三条"]
    assert references("第三条、第三十三条", ids) == ["第三条", "第三十三条"]
    assert references("只补一次", ids) == []
    assert references("一", ids) == ["一"]
    assert references("二（五）原文", ids) == ["二（五）"]


def test_cli_reports_and_fails_on_a_gap(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["coverage", "expropriation"]) == 0
    out = capsys.readouterr().out
    assert "第三十五条 | 计算 | art35_monetary" in out
    # without any feature file every computed article lacks its scenarios
    assert main(["coverage", "listing", "--features", str(tmp_path)]) == 1
    assert "2 条计算条款缺少规则或场景" in capsys.readouterr().err


def test_a_range_of_articles_names_every_article_in_it(python_policies) -> None:
    # before (audit 8): I-12 ("第二十六条、第三十四条至第四十条") was shown under 第二十六、三十四、四十条 only,
    # though its reading covers 临时安置费 (第三十五条) and 装修 (第三十九条), whose lines cite it
    ids = [a.id for a in python_policies.families["expropriation"].versions[0].articles]
    found = references("第二十六条、第三十四条至第四十条", ids)
    assert found == ["第二十六条", "第三十四条", "第三十五条", "第三十六条", "第三十七条", "第三十八条", "第三十九条",
                     "第四十条"]


def test_a_scenario_is_listed_under_the_articles_of_its_feature_it_checks(python_policies, tmp_path: Path) -> None:
    # before (audit 8): every scenario of a feature titled 第二十七条第三十一条 was listed under both articles, so a
    # reviewer of 第二十七条 read scenarios about public-housing tenancy (第三十一条) as its restatement
    policy = python_policies.families["expropriation"].versions[0]
    folder = tmp_path / "expropriation"
    folder.mkdir()
    (folder / "a.feature").write_text(
        "# language: zh-CN\n功能: 第二十七条第三十一条 补偿方式\n  说明\n\n"
        "  场景: 只核对第三十一条\n"
        "    那么 有一条 \"swap_only\" 提示，级别为 \"violation\"，依据包含 \"第三十一条\"\n\n"
        "  场景大纲: 例子里写明条款\n    那么 有一条 \"x\" 提示，依据包含 \"<条款>\"\n\n    例子:\n"
        "      | 条款 |\n      | 第二十七条 |\n\n"
        "  场景: 步骤不写条款\n    那么 答复不含任何金额项\n\n"
        "  场景: 标题另写第二十六条\n    那么 有一条 \"y\" 提示，依据包含 \"第三十一条\"\n", encoding="utf-8")
    table = {r.article: r.scenarios for r in rows(policy, folder)}
    assert table["第三十一条"] == [
        "a.feature: 只核对第三十一条", "a.feature: 步骤不写条款", "a.feature: 标题另写第二十六条"]
    assert table["第二十七条"] == ["a.feature: 例子里写明条款", "a.feature: 步骤不写条款"]
    assert table["第二十六条"] == ["a.feature: 标题另写第二十六条"]
