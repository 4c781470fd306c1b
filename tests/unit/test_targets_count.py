"""The targets family carries every numeric indicator of the texts, counted from the gazette, not from the YAML.

The gazette text (``tests/fixtures/gazette``, the district's 2022 gazette, issue 2, as published) is read
independently of the policy files: the "1. 主要目标" sections of both 十四五 plans are split into
sentences, and every target figure in them is counted by a pattern.  The YAML must carry exactly that
many indicators quoting each sentence.  The same is done for the 2022 service-capacity scheme.
"""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from tests.conftest import POLICIES, ROOT

GAZETTE = (ROOT / "tests" / "fixtures" / "gazette" / "兰山区人民政府公报2022年第2期.txt").read_text(encoding="utf-8")
LINES = GAZETTE.splitlines()

# A target figure: a number with the unit of a rate or a count, or a word that states one.  What this
# leaves out by construction (checked below to be the only digits left in the target sentences):
# ages (35-64 岁, 5岁以下, 0-6岁, 12岁, 3岁以下), the preschool span (学前3年), the base year
# (以 2020 年为基数) and the water-quality class (III 类).
TARGET = re.compile(r"\d+(?:\.\d+)?\s*(?:%|‰|个百分点|个|名|人|/10\s*万)|一半|全覆盖")
NOT_A_TARGET = re.compile(r"\d+\s*-\s*\d+\s*岁|\d+\s*岁|学前\d+年|\d{4}\s*年为基数|III")

# Sentences with a number that is not a figure to reach (the reason beside each).
EXCLUDED = {
    # 15 年 is the length of the free schooling disabled children receive (an entitlement), not a
    # monitored figure with a target; the plan sets no rate for it.
    "残疾儿童接受从学前到高中阶段 15 年免费教育",
}

# One number, several subjects: each subject is one indicator (interpretation T-10).
PER_SUBJECT = {
    "35-64 岁农村和城镇低收入适龄妇女宫颈癌、乳腺癌人群检查率分别达到 90%以上": 2,  # 宫颈癌, 乳腺癌
    "区级党委、政府领导班子至少各配备1名女干部": 2,  # 区级党委, 区政府
}


def plan_goal_sentences() -> list[str]:
    """Return the sentences of every "1. 主要目标" item of both plans, lines joined across page breaks."""
    start = next(i for i, line in enumerate(LINES) if line.startswith("兰山区“十四五”妇女发展规划"))
    end = next(i for i, line in enumerate(LINES) if "临兰政办字〔2022〕13号" in line)
    items: list[str] = []
    inside = False
    for line in LINES[start:end]:
        text = line.strip()
        if text.endswith("主要目标"):
            inside = True
        elif text.endswith("策略措施"):
            inside = False
        elif inside and text:
            if re.match(r"^[（(]\s*\d+\s*[）)]", text):
                items.append(text)
            else:  # the item continues after a page break
                items[-1] += text
    sentences = []
    for item in items:
        body = re.sub(r"^[（(]\s*\d+\s*[）)]\s*", "", item)
        body = re.sub(r"[（(]\s*(牵头单位|责任单位).*$", "", body)  # the closing list of units
        sentences += [s.strip() for s in body.split("。") if s.strip()]
    return sentences


def expected_counts(sentences: list[str]) -> Counter[str]:
    """Count the target figures of each sentence (several subjects of one figure count apart)."""
    counts: Counter[str] = Counter()
    for sentence in sentences:
        found = len(TARGET.findall(sentence))
        if found:
            counts[sentence] = PER_SUBJECT.get(sentence, found)
    return counts


def indicator_quotes(version: str, key: str) -> Counter[str]:
    """Count the quotes of the indicator rows of one version file."""
    data = YAML(typ="safe").load(Path(POLICIES / "targets" / f"{version}.yaml").read_text(encoding="utf-8"))
    (case,) = data["cases"].values()
    return Counter(row["text"] for row in case["indicators"].get(key) or [])


def test_every_numeric_indicator_of_the_plans_is_carried_once_per_subject() -> None:
    expected = expected_counts(plan_goal_sentences())
    assert sum(expected.values()) == 43  # 23 in the women's plan, 20 in the children's plan
    assert indicator_quotes("2021-01-01", "targets") == expected


def test_no_number_in_the_plan_goals_is_left_unexplained() -> None:
    for sentence in plan_goal_sentences():
        rest = NOT_A_TARGET.sub("", TARGET.sub("", sentence))
        if re.search(r"\d", rest):
            assert sentence in EXCLUDED, f"a number that is neither a target nor excluded: {sentence}"
    assert EXCLUDED <= set(plan_goal_sentences())  # an exclusion that is not in the text is a typo


def service_scheme() -> str:
    """Return the text of the service-capacity scheme, page breaks joined."""
    start = LINES.index("兰山区进一步提升基层政务服务能力 实施方案")
    end = next(i for i in range(start, len(LINES)) if LINES[i].startswith("临沂市兰山区人民政府办公室 关于推动"))
    return "".join(line.strip() for line in LINES[start:end])


# In the scheme, numbers that are not targets: the number of the State Council document (国发〔2022〕5号),
# the items already online (279 项, 234 项, 121 项: the base the work starts from), opening hours
# (24小时, 7*24小时, 365天) and the "4个方面" of outsourcing.
SERVICE_NOT_TARGETS = re.compile(r"4个方面")


@pytest.mark.parametrize(("key", "pattern", "count"), [
    ("targets", r"\d+(?:\.\d+)?\s*(?:%|个)|全覆盖", 6),  # 4、8、20 个示范点; 90%, 95%; 网上站点全覆盖
    ("milestones", r"\d+月底前", 5),  # 3、4、6、6、9 月底前
])
def test_every_target_and_milestone_of_the_service_scheme_is_carried(key: str, pattern: str, count: int) -> None:
    text = SERVICE_NOT_TARGETS.sub("", service_scheme())
    sentences = [s for s in re.split(r"[。；]", text) if re.search(pattern, s)]
    expected = Counter({s.strip(): len(re.findall(pattern, s)) for s in sentences})
    assert sum(expected.values()) == count
    carried = indicator_quotes("2022-04-08", key)
    # each quote is the clause of its sentence that states the figure or the deadline
    for quote in carried:
        assert any(quote in sentence for sentence in expected), quote
    assert sum(carried.values()) == count
    for sentence, n in expected.items():
        assert sum(m for quote, m in carried.items() if quote in sentence) == n, sentence


def test_every_quote_is_verbatim_in_the_gazette() -> None:
    joined = "".join(line.strip() for line in LINES)
    for version in ("2021-01-01", "2022-04-08"):
        data = YAML(typ="safe").load((POLICIES / "targets" / f"{version}.yaml").read_text(encoding="utf-8"))
        (case,) = data["cases"].values()
        rows = [*(case["indicators"].get("targets") or []), *(case["indicators"].get("milestones") or [])]
        for row in rows:
            assert row["text"] in joined, row["id"]
        for article in data["articles"]:
            assert "".join(article["text"].split("\n")) in joined, article["id"]
