"""Fixtures of the hardening suites: a Chromium browser for the
rendering tests (marked ``browser`` by the tests themselves: this folder is not under
``tests/browser``). Widgets without a kernel and polling with a deadline: ``tests.support``."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CSW_CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")  # not session: an open sync Playwright keeps an asyncio loop running
def chromium():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CSW_REQUIRE_BROWSER") == "1":
            pytest.fail(f"Chromium not found at {CHROMIUM} and CSW_REQUIRE_BROWSER=1")
        pytest.skip(f"Chromium not found at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()
