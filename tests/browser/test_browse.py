"""`bin/recstage browse` in a real browser (headless chromium via selenium): the MovieLens run of the
README's recipe, and a generated run whose titles carry markup that must show as text."""

from __future__ import annotations

import csv
import subprocess
import urllib.error
import urllib.request

import pytest

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

from conftest import ARTEFACTS
from recipes import ROOT

RECSTAGE = str(ROOT / "bin" / "recstage")


def search(chrome, browse_url: str, query: str) -> list[str]:
    chrome.get(browse_url)
    box = chrome.find_element(By.ID, "q")
    box.send_keys(query)
    chrome.find_element(By.ID, "search").click()
    WebDriverWait(chrome, 30).until(expected_conditions.presence_of_element_located((By.ID, "results")))
    return [link.text for link in chrome.find_elements(By.CSS_SELECTOR, "#results a.item")]


def list_titles(chrome, section: str) -> list[str]:
    return [link.text for link in chrome.find_elements(By.CSS_SELECTOR, f"#list-{section} a.item")]


def test_movielens_search_toy_story_open_it_and_see_toy_story_2_in_the_behaviour_list(movielens_run, browse, chrome):
    server = browse(movielens_run)
    found = search(chrome, server.url, "Toy Story")
    assert found[:3] == ["Toy Story (1995)", "Toy Story 2 (1999)", "Toy Story 3 (2010)"], found
    chrome.find_element(By.LINK_TEXT, "Toy Story (1995)").click()
    WebDriverWait(chrome, 30).until(expected_conditions.text_to_be_present_in_element((By.ID, "item-title"), "Toy Story (1995)"))
    behaviour = list_titles(chrome, "behaviour")
    assert "Toy Story 2 (1999)" in behaviour[:5], behaviour
    content = list_titles(chrome, "content")
    assert content[:2] == ["Toy Story 2 (1999)", "Toy Story 3 (2010)"], content
    chrome.save_screenshot(str(ARTEFACTS / "browse-movielens-toy-story.png"))

    # From a neighbour to its page, and to a user's history.
    chrome.find_element(By.CSS_SELECTOR, "#list-behaviour a.item").click()
    WebDriverWait(chrome, 30).until(expected_conditions.text_to_be_present_in_element((By.ID, "item-title"), "Toy Story 2 (1999)"))
    chrome.get(server.url + "user?id=1")
    history = list_titles(chrome, "history")
    assert len(history) == 50 and "latest 50 of 232 events" in chrome.find_element(By.ID, "list-history").text, history
    # Recommendations: each with the history item it comes from, a link to that item's page.
    rows = chrome.find_elements(By.CSS_SELECTOR, "#list-recommendations tr")[1:]
    assert len(rows) == 20, len(rows)
    because = [row.find_elements(By.CSS_SELECTOR, "a.item")[1].text for row in rows]
    assert all(because), because
    chrome.save_screenshot(str(ARTEFACTS / "browse-movielens-user-1.png"))
    rows[0].find_elements(By.CSS_SELECTOR, "a.item")[1].click()
    WebDriverWait(chrome, 30).until(expected_conditions.text_to_be_present_in_element((By.ID, "item-title"), because[0]))


def test_movielens_related_items_name_their_source(movielens_run, browse, chrome):
    server = browse(movielens_run)
    chrome.get(server.url + "item?id=1")
    rows = chrome.find_elements(By.CSS_SELECTOR, "#list-related tr")[1:]
    cells = [[cell.text for cell in row.find_elements(By.TAG_NAME, "td")] for row in rows]
    assert cells[0][1].startswith("Toy Story 2 (1999)") and cells[0][3] == "both", cells[:3]
    assert {row[3] for row in cells} <= {"both", "behavior", "content"}, cells


SCRIPT_TITLE = "<script>window.pwned = 1; document.title = 'pwned'</script><img src=x onerror=\"window.pwned = 2\"> &amp; Flood data"


def test_a_title_with_markup_shows_as_text_and_runs_nothing(tmp_path, browse, chrome):
    raw, run = tmp_path / "raw", tmp_path / "run"
    subprocess.run([RECSTAGE, "generate", "--items", "300", "--seed", "7", "--out", str(raw)], check=True, capture_output=True)
    with (raw / "items.csv").open(newline="", encoding="utf-8") as file:
        rows = list(csv.reader(file))
    # The first item's title becomes markup; its description and tags stay, so it keeps its neighbours.
    rows[1][1] = SCRIPT_TITLE
    with (raw / "items.csv").open("w", newline="", encoding="utf-8") as file:
        csv.writer(file).writerows(rows)
    for stage, args in (("features", ["--items", str(raw / "items.csv"), "--interactions", str(raw / "interactions.csv")]),
                        ("content-similarity", ["--features", str(run / "features")]),
                        ("behavior-cooccurrence", ["--features", str(run / "features")])):
        out = {"features": "features", "content-similarity": "content", "behavior-cooccurrence": "behavior"}[stage]
        subprocess.run([RECSTAGE, stage, *args, "--out", str(run / out)], check=True, capture_output=True)

    server = browse(run)
    found = search(chrome, server.url, "<script>")
    assert found == [SCRIPT_TITLE], found
    # The query is echoed in the heading and the search box: as text too.
    assert chrome.find_elements(By.TAG_NAME, "script") == [] and chrome.execute_script("return window.pwned === undefined")
    assert chrome.find_element(By.ID, "q").get_attribute("value") == "<script>"
    chrome.find_element(By.CSS_SELECTOR, "#results a.item").click()
    WebDriverWait(chrome, 30).until(expected_conditions.presence_of_element_located((By.ID, "item-title")))
    assert chrome.find_element(By.ID, "item-title").text == SCRIPT_TITLE
    assert chrome.find_elements(By.TAG_NAME, "script") == [] and chrome.find_elements(By.TAG_NAME, "img") == []
    assert chrome.execute_script("return window.pwned === undefined") and chrome.title == SCRIPT_TITLE
    chrome.save_screenshot(str(ARTEFACTS / "browse-markup-title.png"))

    # The same title as a neighbour in another item's lists is text as well.
    neighbour = chrome.find_element(By.CSS_SELECTOR, "#list-content a.item")
    neighbour.click()
    WebDriverWait(chrome, 30).until(expected_conditions.presence_of_element_located((By.ID, "list-content")))
    listed = list_titles(chrome, "content") + list_titles(chrome, "behaviour")
    assert SCRIPT_TITLE in listed, listed
    assert chrome.find_elements(By.TAG_NAME, "script") == [] and chrome.execute_script("return window.pwned === undefined")


def test_browse_listens_on_loopback_by_default(movielens_run, browse):
    local = browse(movielens_run)
    assert local.url.startswith("http://127.0.0.1:"), local.url


def test_unknown_items_are_404_and_everywhere_pages_forbid_scripts(movielens_run, browse):
    server = browse(movielens_run)
    try:
        urllib.request.urlopen(server.url + "item?id=no-such-item")
        pytest.fail("an unknown item answered 200")
    except urllib.error.HTTPError as error:
        assert error.code == 404 and "no-such-item" in error.read().decode()
    with urllib.request.urlopen(server.url + "?q=toy") as response:
        assert response.headers["Content-Security-Policy"].startswith("default-src 'none'")


def test_binding_elsewhere_warns(movielens_run, browse):
    server = browse(movielens_run, "--bind", "0.0.0.0")
    assert server.url.startswith("http://0.0.0.0:"), server.url
    log = (ARTEFACTS / "test_binding_elsewhere_warns.browse.log").read_text()
    assert "warning: --bind 0.0.0.0 serves this run's data" in log and "no authentication" in log, log
