"""The calculator pages in a real browser: a hand-computed household, an enterprise, an invalid form, printing."""
from __future__ import annotations

import base64
import re
from typing import Any
from urllib.parse import unquote, urlsplit

from selenium.webdriver.common.by import By
from selenium.webdriver.common.print_page_options import PrintOptions
from selenium.webdriver.support.ui import Select

from tests.browser.conftest import ARTIFACTS, navigate, screenshot


def _type(driver: Any, name: str, text: str) -> None:
    field = driver.find_element(By.NAME, name)
    field.clear()
    field.send_keys(text)


def _submit(driver: Any) -> None:
    navigate(driver, driver.find_element(By.ID, "submit").click)


def _amounts(driver: Any) -> dict[str, str]:
    return {row.get_attribute("data-code"): row.find_element(By.CSS_SELECTOR, ".amount").text
            for row in driver.find_elements(By.CSS_SELECTOR, "tr.item")}


def _choose(driver: Any, use: str = "住宅", mode: str = "货币补偿") -> None:
    """Make the two required choices, which the form leaves to the officer (no choice is made for them)."""
    Select(driver.find_element(By.NAME, "property.use")).select_by_visible_text(use)
    Select(driver.find_element(By.NAME, "choice.mode")).select_by_visible_text(mode)


def _fill_household(driver: Any, site: str) -> None:
    """A 60.00 m² registered house, simple decoration, monetary, signed and vacated in the reward period."""
    driver.get(site + "/calculator/household")
    _choose(driver)
    _type(driver, "decision_date", "2023-05-10")
    _type(driver, "property.building_area", "60.00")
    Select(driver.find_element(By.NAME, "property.decoration")).select_by_visible_text("简装修")
    _type(driver, "prices.appraised_unit_price", "8000")
    _type(driver, "prices.market_unit_price", "9000")
    for name in ("choice.signed_in_reward_period", "choice.vacated_on_time"):
        box = driver.find_element(By.NAME, name)
        if not box.is_selected():
            box.click()
    _submit(driver)


def test_household_total_computed_by_hand(browser: Any, site: str) -> None:
    _fill_household(browser, site)
    # By hand from 临兰政发〔2022〕1号, decision 2023-05-10, 60.00 m² registered residence, individual owner:
    #   art. 26 ¶3 “不得低于……新建普通商品住房市场价格的 90%”: 90% × 9000 = 8100 > 8000 appraised → 8100 元/m²
    #   house value 60.00 × 8100 = 486000.00
    #   art. 39 “简装修的,按每平方米50元补偿”: 50 × 60.00 = 3000.00
    #   art. 34 ¶1 “执行标准按套享受一次性搬迁费 2000 元”: 2000.00
    #   art. 35 ¶2 “一次性支付 3 个月的临时安置费”, ¶1 “每（套）户每月 1500 元”: 3 × 1500 = 4500.00
    #   art. 40 “在规定的奖励期限内签订协议的,给予2万元奖励” (signed in the period and vacated on time): 20000.00
    #   total = 486000.00 + 3000.00 + 2000.00 + 4500.00 + 20000.00 = 515500.00
    assert browser.find_element(By.ID, "total").text == "515500.00"
    assert _amounts(browser) == {"house_value": "486000.00", "decoration": "3000.00", "moving": "2000.00",
                                 "temporary_resettlement": "4500.00", "early_signing_reward": "20000.00"}
    assert re.fullmatch(r"[0-9a-f]{32}", browser.find_element(By.ID, "decision-id").text)
    assert "I-3" in browser.find_element(By.CSS_SELECTOR, ".answer .interpretations").text
    screenshot(browser, "calculator-household-answer")


def test_item_article_link_leads_to_the_article(browser: Any, site: str) -> None:
    _fill_household(browser, site)
    row = browser.find_element(By.CSS_SELECTOR, 'tr.item[data-code="moving"]')
    link = row.find_element(By.LINK_TEXT, "第三十四条第一款")
    navigate(browser, link.click)
    url = urlsplit(browser.current_url)
    assert (url.path, unquote(url.fragment)) == ("/browse/expropriation/2022-04-01", "第三十四条")
    article = browser.find_element(By.ID, "第三十四条")
    assert "执行标准按套享受一次性搬迁费 2000 元" in article.find_element(By.CSS_SELECTOR, ".text").text
    assert "art34_moving_residential" in article.text  # the rule that computed the amount is beside it
    assert browser.execute_script("return document.querySelector(':target') === arguments[0]", article)
    screenshot(browser, "browser-article-34-from-link", full=False)


def test_invalid_form_shows_the_engine_message_beside_the_field(browser: Any, site: str) -> None:
    browser.get(site + "/calculator/household")
    _choose(browser)
    _type(browser, "property.building_area", "-5")
    _type(browser, "prices.appraised_unit_price", "8000")
    _type(browser, "prices.market_unit_price", "9000")
    _submit(browser)
    area = browser.find_element(By.ID, "f-property-building_area")
    assert area.get_attribute("value") == "-5"  # what was typed is kept
    assert area.get_attribute("aria-invalid") == "true"
    message = browser.find_element(By.ID, area.get_attribute("aria-describedby").split()[0])
    assert message.text == "必须大于 0"
    date_error = browser.find_element(By.CSS_SELECTOR, "#f-decision_date ~ .field-error")
    assert date_error.text == "必填字段"
    summary = browser.find_element(By.ID, "error-summary")
    assert "2 处问题" in summary.text and not browser.find_elements(By.ID, "answer")
    summary.find_element(By.PARTIAL_LINK_TEXT, "建筑面积").click()
    assert browser.switch_to.active_element == area  # the summary link takes the officer to the field
    screenshot(browser, "calculator-household-invalid")


def test_listing_enterprise_with_an_added_row(browser: Any, site: str) -> None:
    browser.get(site + "/calculator/listing")
    _type(browser, "name", "兰山示例科技股份有限公司")
    Select(browser.find_element(By.NAME, "events[0].type")).select_by_value("share_reform_registered")
    _type(browser, "events[0].date", "2022-06-01")
    navigate(browser, browser.find_element(By.CSS_SELECTOR, 'button[name="more"][value="events"]').click)  # 增加一行
    assert browser.find_element(By.NAME, "events[0].date").get_attribute("value") == "2022-06-01"
    Select(browser.find_element(By.NAME, "events[1].type")).select_by_value("overseas_listing")
    _type(browser, "events[1].date", "2024-01-10")
    _type(browser, "events[1].repatriated_funds", "123456789.01")
    Select(browser.find_element(By.NAME, "paid[0].type")).select_by_value("share_reform_registered")
    _type(browser, "paid[0].amount", "1000000")
    _submit(browser)
    # By hand from 临兰政字〔2022〕16号 二（五）: “完成工商登记变更后，给予财政资金补助 100 万元” → 1000000.00;
    # “按照拟上市募集资金回款的 2%……最高不超过 500 万元”: 123456789.01 × 2% = 2469135.7802 → 2469135.78 (< 5000000);
    # total 1000000.00 + 2469135.78 = 3469135.78; already paid 1000000.00; due 3469135.78 − 1000000.00 = 2469135.78
    assert browser.find_element(By.ID, "total").text == "3469135.78"
    assert browser.find_element(By.ID, "paid").text == "1000000.00"
    assert browser.find_element(By.ID, "due").text == "2469135.78"
    link = browser.find_element(By.CSS_SELECTOR, 'tr.item[data-code="overseas_listing"] .articles a')
    assert unquote(urlsplit(link.get_attribute("href")).fragment) == "二（五）"
    screenshot(browser, "calculator-listing-answer")


def test_answer_prints_on_one_a4_page(browser: Any, site: str) -> None:
    _fill_household(browser, site)
    options = PrintOptions()
    options.page_width, options.page_height = 21.0, 29.7  # A4 in centimetres
    pdf = base64.b64decode(browser.print_page(options))
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "calculator-household-notice.pdf").write_bytes(pdf)
    pages = len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf))
    assert pages == 1
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        shown = {selector: browser.execute_script(
            "return getComputedStyle(document.querySelector(arguments[0])).display !== 'none'", selector)
            for selector in ("form.case-form", "header.site", "#answer", ".notice-head")}
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    # the notice: the answer under its heading, without the form or the navigation
    assert shown == {"form.case-form": False, "header.site": False, "#answer": True, ".notice-head": True}


def _open_details_of(driver: Any, name: str) -> Any:
    """Unfold the optional section holding a field (a click on its summary, as the officer does)."""
    field = driver.find_element(By.NAME, name)
    for summary in driver.execute_script(
            "const out = []; let e = arguments[0];"
            "while ((e = e.parentElement)) {"
            "  if (e.tagName === 'DETAILS' && !e.open) out.unshift(e.querySelector('summary'));"
            "}"
            "return out;", field):
        summary.click()
    return field


def test_swap_answer_with_many_lines_still_prints_on_one_page(browser: Any, site: str) -> None:
    """The README's swap example (7 items, 2 findings, 8 interpretations): the longest notice we know of."""
    browser.get(site + "/calculator/household")
    _choose(browser, mode="房屋产权调换")
    _type(browser, "decision_date", "2024-09-02")
    _type(browser, "property.building_area", "40.00")
    Select(browser.find_element(By.NAME, "property.decoration")).select_by_visible_text("精装修")
    Select(browser.find_element(By.NAME, "property.ancillary[0].kind")).select_by_visible_text("储藏室")
    _type(browser, "property.ancillary[0].appraised", "18000")
    _type(browser, "prices.appraised_unit_price", "7600")
    _type(browser, "prices.market_unit_price", "9000")
    _open_details_of(browser, "owner.only_home").click()
    Select(browser.find_element(By.NAME, "choice.swap_building")).select_by_visible_text("高层")
    _open_details_of(browser, "choice.new_unit.building_area").send_keys("52.30")
    for name in ("choice.signed_in_reward_period", "choice.vacated_on_time"):
        browser.find_element(By.NAME, name).click()
    _submit(browser)
    # By hand (README): art. 26 unit price max(7600, 90% × 9000 = 8100) = 8100; house value 40.00 × 8100 = 324000.00
    # credited against the new unit, not in the total (art. 28); art. 29 ¶2 high-rise minimum 47 m², excess
    # 52.30 − 47 = 5.30 m² × 9000 = 47700.00 paid by the household; decoration 100 × 40.00 = 4000.00 (art. 39, I-3);
    # moving 2000.00 (art. 34); transition 36 × 1500 = 54000.00 (art. 35); reward 20000.00 (art. 40); storage
    # 18000.00 (art. 41). Total = 4000 + 2000 + 54000 + 20000 + 18000 − 47700 = 50300.00
    assert browser.find_element(By.ID, "total").text == "50300.00"
    assert _amounts(browser)["swap_settlement"] == "47700.00"
    options = PrintOptions()
    options.page_width, options.page_height = 21.0, 29.7
    pdf = base64.b64decode(browser.print_page(options))
    (ARTIFACTS / "calculator-household-swap-notice.pdf").write_bytes(pdf)
    assert len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf)) == 1
    screenshot(browser, "calculator-household-swap-answer", max_height=1400)
    # a picture of the printed notice for the reviewer: print styles on an A4-wide (210 mm = 794 px) page
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                            {"width": 794, "height": 1123, "deviceScaleFactor": 1, "mobile": False})
    try:
        shot = browser.execute_cdp_cmd("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True})
        (ARTIFACTS / "calculator-household-swap-print-preview.png").write_bytes(base64.b64decode(shot["data"]))
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
