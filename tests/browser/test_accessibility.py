"""Accessibility basics in a real browser: every control labelled, and the calculator usable from the keyboard."""
from __future__ import annotations

from typing import Any

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from tests.browser.conftest import navigate

UNLABELLED = """
return [...document.querySelectorAll('input, select, textarea')]
  .filter(e => e.type !== 'hidden')
  .filter(e => !(e.labels && [...e.labels].some(l => l.textContent.trim())) && !e.getAttribute('aria-label'))
  .map(e => e.name || e.id);
"""


@pytest.mark.parametrize("path", ["/", "/calculator/household", "/calculator/listing",
                                  "/calculator/expropriation/project", "/browse/expropriation/2022-04-01"])
def test_every_input_has_a_label(browser: Any, site: str, path: str) -> None:
    browser.get(site + path)
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "zh-CN"
    assert browser.find_elements(By.TAG_NAME, "h1")
    assert browser.execute_script(UNLABELLED) == []


def _tab(browser: Any) -> Any:
    browser.switch_to.active_element.send_keys(Keys.TAB)
    return browser.switch_to.active_element


def test_listing_calculator_by_keyboard_alone(browser: Any, site: str) -> None:
    browser.get(site + "/calculator/listing")
    browser.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    skip = browser.switch_to.active_element
    assert skip.text == "跳到主要内容"
    outline = browser.execute_script("return getComputedStyle(arguments[0]).outlineStyle", skip)
    assert outline != "none"  # the focused element is visibly marked
    skip.send_keys(Keys.ENTER)
    assert browser.switch_to.active_element.get_attribute("id") == "main"
    # from <main>, tab to each control in document order and type into it, as a keyboard user does
    visited = []
    element = _tab(browser)
    while element.get_attribute("name") != "name":
        visited.append(element.get_attribute("name"))
        element = _tab(browser)
    element.send_keys("键盘测试企业")
    element = _tab(browser)
    assert element.get_attribute("name") == "events[0].type"
    # from （请选择） (a required choice starts unchosen), the 4th choice: 在境外证券交易所上市 (overseas_listing)
    element.send_keys(Keys.DOWN, Keys.DOWN, Keys.DOWN, Keys.DOWN)
    assert element.get_attribute("value") == "overseas_listing"
    element = _tab(browser)
    assert element.get_attribute("name") == "events[0].date"
    element.send_keys("2024-01-10")
    element = _tab(browser)
    assert element.get_attribute("name") == "events[0].repatriated_funds"
    element.send_keys("1000000.00")
    navigate(browser, lambda: element.send_keys(Keys.ENTER))  # Enter in a text field submits the form
    # By hand, 二（五）: 1000000.00 × 2% = 20000.00 (below the 5000000 cap); nothing paid, due 20000.00
    assert browser.find_element(By.ID, "total").text == "20000.00"
    assert browser.find_element(By.ID, "due").text == "20000.00"
    # every control of the form is reachable with the Tab key
    ids = browser.execute_script(
        "return [...document.querySelectorAll('form.case-form input:not([type=hidden]), form.case-form select,"
        " form.case-form button:not(.default-submit)')].map(e => e.id || e.name + '=' + e.value)")
    browser.find_element(By.ID, "main").click()
    reached = set()
    for _ in range(len(ids) + 40):
        element = _tab(browser)
        reached.add(element.get_attribute("id") or f"{element.get_attribute('name')}={element.get_attribute('value')}")
    assert set(ids) <= reached, set(ids) - reached
