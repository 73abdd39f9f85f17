"""The one Chromium fixture of the suite (browser tests, hardening's rendering tests, DSS-like tests).

Debian's Chromium (``/usr/bin/chromium``, or ``CSW_CHROMIUM``) driven by Playwright. Without it the
tests that use it are skipped, unless ``CSW_REQUIRE_BROWSER=1`` (CI) makes that a failure.
Registered for the whole suite by the root ``conftest.py`` (``pytest_plugins``).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CSW_CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def chromium_path() -> str:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CSW_REQUIRE_BROWSER") == "1":
            pytest.fail(f"Chromium not found at {CHROMIUM} and CSW_REQUIRE_BROWSER=1 (install Debian's chromium)")
        pytest.skip(f"Chromium not found at {CHROMIUM}")
    return CHROMIUM


@pytest.fixture(scope="module")
def browser(chromium_path):
    """Chromium for one test module. Module scope on purpose: Playwright's sync API keeps an
    asyncio loop running on the main thread while it is open, which breaks later tests that call
    ``asyncio.run`` (e.g. awaiting a FutureProgress)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_path, args=FLAGS)
        yield b
        b.close()
