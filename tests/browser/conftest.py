"""Fixtures of the browser tests: the README's MovieLens run, a browse server, a headless chromium."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from recipes import DATA, ROOT, require, run_recipe

ARTEFACTS = ROOT / "target" / "browser"
MOVIELENS_RUN = ROOT / "runs" / "movielens"
CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"


@pytest.fixture(scope="session")
def movielens_run() -> Path:
    """runs/movielens made by the README's MovieLens recipe (once per session)."""
    require((DATA / "movielens-ml-latest-small" / "ratings.csv").is_file(), f"MovieLens data absent under {DATA}")
    require((ROOT / "tasks/tools/target/quarkus-app/quarkus-run.jar").is_file(), "the stages are not built (./mvnw package)")
    run_recipe("movielens", ARTEFACTS / "recipe-movielens.log")
    return MOVIELENS_RUN


class Browse:
    """`bin/recstage browse RUN_DIR --port 0` as a process, with the URL it printed."""

    def __init__(self, run_dir: Path, log: Path, *extra: str):
        log.parent.mkdir(parents=True, exist_ok=True)
        self._log = log.open("w", encoding="utf-8")
        self.process = subprocess.Popen([str(ROOT / "bin" / "recstage"), "browse", str(run_dir), "--port", "0", *extra],
                                        stdout=subprocess.PIPE, stderr=self._log, text=True)
        self.url = None
        for line in self.process.stdout:
            if line.startswith("browse: open "):
                self.url = line.split()[2]
                break
        assert self.url, f"browse printed no URL; its log:\n{log.read_text()}"

    def close(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)
        self._log.close()


@pytest.fixture
def browse(request):
    """Starts browse on a run directory; stopped after the test."""
    servers = []

    def start(run_dir: Path, *extra: str) -> Browse:
        server = Browse(run_dir, ARTEFACTS / f"{request.node.name}.browse.log", *extra)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.close()


@pytest.fixture(scope="session")
def chrome(tmp_path_factory):
    """Headless Debian chromium driven through its chromedriver (bin/test installs both with apt-get)."""
    missing = [path for path in (CHROMIUM, CHROMEDRIVER) if not Path(path).exists()]
    assert not missing, f"{', '.join(missing)} missing: install with `apt-get install -y chromium chromium-driver` (bin/test does)"
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    profile = tmp_path_factory.mktemp("chromium-profile")
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 f"--user-data-dir={profile}", "--window-size=1400,1000"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER, log_output=str(ARTEFACTS / "chromedriver.log")), options=options)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)
