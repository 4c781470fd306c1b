"""The policy browser in a real browser: coverage summary, articles beside their rules, scenario results, offline."""
from __future__ import annotations

from typing import Any

from selenium.webdriver.common.by import By

from engine import coverage
from tests.browser.conftest import FAILED_SCENARIO, screenshot
from tests.conftest import ROOT


def test_coverage_summary_and_articles(browser: Any, site: str, python_policies: Any) -> None:
    browser.get(site + "/browse/expropriation/2022-04-01")
    policy = python_policies.families["expropriation"].versions[-1]
    table = coverage.rows(policy, ROOT / "features" / "expropriation")
    counts = browser.find_element(By.CSS_SELECTOR, "#coverage .counts").text
    # the counts are the engine's coverage rows (58 articles of 临兰政发〔2022〕1号: each is in exactly one status)
    for status, word in (("computed", "条计算"), ("procedural", "条程序"), ("declaratory", "条宣示")):
        assert f"{sum(1 for r in table if r.status == status)} {word}" in counts
    assert len(browser.find_elements(By.CSS_SELECTOR, "article.article")) == len(policy.articles) == len(table)
    article = browser.find_element(By.ID, "第二十六条")
    text = article.find_element(By.CSS_SELECTOR, ".text").text
    assert "不得低于被征收房屋所处区位新建普通商品住房市场价格的 90%" in text
    rule = article.find_element(By.ID, "rule-art26_residential_floor")
    # the condition in readable form, with the labels of facts.yaml and the parameter's label
    assert "〔房屋所有权证用途栏〕 ＝ “住宅”" in rule.text
    assert "〔住宅最低补偿标准占新建普通商品住房市场价格的比例〕" in rule.text
    params = article.find_element(By.CSS_SELECTOR, ".params").text
    assert "2022-04-01" in params and "0.9" in params and "第二十六条第三款" in params
    assert "I-12" in article.text
    screenshot(browser, "browser-expropriation-top", max_height=2600)


def test_scenarios_show_their_last_result(browser: Any, site: str) -> None:
    browser.get(site + "/browse/expropriation/2022-04-01")
    article = browser.find_element(By.ID, "第三十四条")
    results = {li.text.split(" ", 1)[1].split(" 第")[0]: li.find_element(By.CSS_SELECTOR, ".result").text
               for li in article.find_elements(By.CSS_SELECTOR, ".scenarios li")}
    scenario = FAILED_SCENARIO.split(": ", 1)[1]
    assert results[scenario] == "失败"  # from the results file the fixture wrote
    assert set(v for k, v in results.items() if k != scenario) == {"未运行"}  # no result recorded for the others
    summary = browser.find_element(By.CSS_SELECTOR, "#coverage .results").text
    assert "失败 1" in summary


def test_listing_family_and_interpretation_anchor(browser: Any, site: str) -> None:
    browser.get(site + "/browse/listing/2022-04-29#L-2")
    target = browser.execute_script("return document.querySelector(':target').id")
    assert target == "L-2"
    article = browser.find_element(By.ID, "二（五）")
    assert "rule-overseas_listing" in [e.get_attribute("id") for e in article.find_elements(By.CSS_SELECTOR, ".rule")]
    assert "较小者（〔募集资金回款（元）〕 × 〔境外上市补助比例" in article.text
    screenshot(browser, "browser-listing", max_height=4000)


def test_every_asset_comes_from_the_app(browser: Any, site: str) -> None:
    for path in ("/", "/browse/listing/2022-04-29", "/calculator/household"):
        browser.get(site + path)
        loaded = browser.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
        assert loaded and all(url.startswith(site + "/static/web/") for url in loaded), loaded
        external = browser.execute_script(
            "return [...document.querySelectorAll('[src], link[href]')].map(e => e.src || e.href)"
            ".filter(u => u && !u.startsWith(location.origin) && !u.startsWith('data:'))")
        assert external == []


def test_index_links_every_family_and_calculator(browser: Any, site: str, python_policies: Any) -> None:
    browser.get(site + "/")
    hrefs = [a.get_attribute("href") for a in browser.find_elements(By.CSS_SELECTOR, "main a")]
    for name, family in python_policies.families.items():
        for version in family.versions:
            assert f"{site}/browse/{name}/{version.version}" in hrefs
    assert f"{site}/calculator/household" in hrefs and f"{site}/calculator/listing" in hrefs
    screenshot(browser, "index", full=False)
