"""Hostile input: every payload of ``xss_corpus`` in every field DSS controls, rendered by every panel
in Chromium and by every static HTML fallback: no script runs, no element is injected, every
string shows as text, and only http(s) URLs become links.

The static fallbacks are also checked without a browser (an HTML parser), so the guarantee holds
in the fast CI tier too. Counts are printed as ``XSS-COUNTS`` lines (``pytest -s``).
"""

from __future__ import annotations

import contextlib
import html.parser
import time
from collections.abc import Iterator
from typing import Any

import pytest

from cswidgets.api import connect
from cswidgets.sim import Simulator
from cswidgets.widgets.conflicts import ConflictViewer
from cswidgets.widgets.dashboard import Dashboard
from cswidgets.widgets.future_progress import FutureProgress
from cswidgets.widgets.studio_table import StudioTable
from cswidgets.widgets.template_builds import TemplateBuilds
from tests.hardening import hostile
from tests.hardening.xss_corpus import FORBIDDEN_TAGS, PAYLOADS, URL_PAYLOADS, normalise, safe_url
from tests.support import wait_for


class Panels:
    """Every panel, built on the hostile simulator, with the payloads each one must show."""

    def __init__(self, sim: Simulator) -> None:
        self.sim = sim
        self.world = w = hostile.build(sim)
        self.client = connect(url=sim.url, api_key="k", retries=0)
        self.widgets: dict[str, tuple[Any, str, dict[str, list[str]]]] = {}
        names = list(PAYLOADS)
        table = StudioTable(self.client, [hostile.PROJECT])
        self.widgets["studio_table"] = (table, "studio_table", {"name": names, "owner": names, "template": names})
        frame_table = StudioTable(hostile.FrameClient())
        self.widgets["studio_table_frame"] = (frame_table, "studio_table", {
            "name": names, "owner": names, "template": names, "zone": names,
            "exposed (text)": [u for u in URL_PAYLOADS if not safe_url(u)],
            "error": names, "alert": list(PAYLOADS[:5])})
        viewer = ConflictViewer(self.client.get_project(hostile.VICTIM_PROJECT).get_code_studio(w.victim))
        with contextlib.suppress(Exception):  # a refused pull of the one-way zone names the zone
            viewer.pull(w.victim_zone_keys[-1], force=True)
        self.widgets["conflict_viewer"] = (viewer, "conflicts", {
            "studio name": [PAYLOADS[-2]], "zone path": w.victim_zone_keys,
            "file path": [f"{p}/{j}.py" for j, p in enumerate(PAYLOADS)]})
        builds = TemplateBuilds(self.client)
        sim.fail_next_build(w.failing_template, w.failing_message)
        builds.build(w.failing_template)
        wait_for(lambda: builds.builds and all(b["final"] for b in builds.builds), 60, "the failing build")
        self.widgets["template_builds"] = (builds, "template_builds", {
            "template label": names, "build error": [w.failing_message]})
        sim.fail_next_build(w.templates[1], w.failing_message)
        future = self.client.get_code_studio_template(w.templates[1]).build()
        bar = FutureProgress(future, label=PAYLOADS[7], client=self.client)
        wait_for(lambda: bar.final, 60, "the failing build's bar to end")
        self.widgets["future_progress"] = (bar, "future_progress", {
            "label": [PAYLOADS[7]], "error": [w.failing_message]})
        self.widgets["dashboard"] = (Dashboard(self.client), "activity", {})

    def close(self) -> None:
        for widget, _, _ in self.widgets.values():
            widget.close()
        self.client.close()


@pytest.fixture(scope="module")
def panels() -> Iterator[Panels]:
    with Simulator(scenario="empty", api_key="k", seed=1, speed=200) as sim:
        p = Panels(sim)
        try:
            yield p
        finally:
            p.close()


# ---- static HTML fallbacks, parsed -------------------------------------------------------------------
class _Audit(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.bad: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in FORBIDDEN_TAGS:
            self.bad.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name == "data-xss" or name in ("src", "srcdoc", "formaction", "style"):
                self.bad.append(f"<{tag} {name}>")
            if name == "href":
                self.links.append(value or "")
            if name == "title" and value:
                self.text.append(value)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def mimebundle(widget: Any) -> dict[str, Any]:
    bundle = widget._repr_mimebundle_()
    return bundle[0] if isinstance(bundle, tuple) else bundle


def audit(fragment: str) -> _Audit:
    a = _Audit()
    a.feed(fragment)
    a.close()
    return a


def test_static_fallbacks_contain_no_markup_from_dss(panels: Panels) -> None:
    fields = 0
    for name, (widget, _, expected) in panels.widgets.items():
        fragment = mimebundle(widget)["text/html"]
        a = audit(fragment)
        assert a.bad == [], f"{name}: injected markup in the static HTML: {a.bad[:5]}"
        assert all(safe_url(u) for u in a.links), f"{name}: non-http(s) link: {a.links}"
        text = normalise(" ".join(a.text))
        for field, payloads in expected.items():
            if field in ("build error", "error", "exposed (text)", "alert"):
                continue  # live state, not part of every fallback (checked in the browser)
            missing = [p for p in payloads if normalise(p) not in text]
            assert not missing, f"{name}: {field} not shown as text in the static HTML: {missing[:3]}"
            fields += len(payloads)
    print(f"XSS-COUNTS static-parsed panels={len(panels.widgets)} payload-fields={fields}")


def test_frame_table_shows_exposed_urls_as_text_never_links(panels: Panels) -> None:
    a = audit(mimebundle(panels.widgets["studio_table_frame"][0])["text/html"])
    rows = [list(URL_PAYLOADS)] + [[URL_PAYLOADS[i % len(URL_PAYLOADS)]] for i in range(1, len(PAYLOADS))]
    assert a.links == []  # a snapshot links nowhere: the ports behind exposed URLs may be gone
    text = normalise(" ".join(a.text))
    missing = [u for urls in rows for u in urls if normalise(u) not in text]
    assert not missing, f"exposed URLs must show as text, not vanish: {missing[:3]}"
    assert normalise(" ".join(a.text)).startswith("Snapshot of ")


# ---- Chromium ----------------------------------------------------------------------------------------
def _studio_table_text(page: Any) -> str:
    """The virtual table only renders a window of rows: scroll through it and collect every text."""
    parts = []
    scroller = page.locator(".csw-st-scroll")
    height = page.evaluate("document.querySelector('.csw-st-scroll').scrollHeight")
    for top in range(0, height + 300, 300):
        scroller.evaluate("(el, y) => { el.scrollTop = y; }", top)
        page.evaluate("() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))")
        parts.append(page.evaluate(
            "() => { const h = document.getElementById('host'); return h.textContent + ' ' + "
            "[...h.querySelectorAll('[title],[aria-label]')].map((e) => (e.getAttribute('title') ?? '') + ' ' +"
            " (e.getAttribute('aria-label') ?? '')).join(' '); }"))
    return " ".join(parts)


@pytest.mark.browser
def test_panels_and_fallbacks_in_chromium(panels: Panels, browser: Any, tmp_path: Any) -> None:
    from tests.hardening.harness import Bridge, PageServer, inspect

    server = PageServer(tmp_path)
    totals = {"renders": 0, "payload_fields": 0, "executions": 0, "injected": 0}
    failures: list[str] = []
    try:
        for name, (widget, bundle, expected) in panels.widgets.items():
            for mode in ("live", "static"):
                page = browser.new_page(viewport={"width": 1500, "height": 1200})
                errors: list[str] = []
                page.on("pageerror", lambda e, errors=errors: errors.append(str(e)))
                try:
                    if mode == "live":
                        bridge = Bridge(page, server, widget, bundle)
                        bridge.pump(until="document.getElementById('host').childElementCount > 0")
                        bridge.pump(settle=0.5)
                        time.sleep(0.2)  # let any injected onerror/onload fire before counting
                        found = bridge.inspect()
                        widget.unobserve(bridge._changed, names=bridge.names)
                        if bundle == "studio_table":
                            found["text"] += " " + _studio_table_text(page)
                    else:
                        page.goto(server.static_page(f"static_{name}", mimebundle(widget)["text/html"]))
                        page.wait_for_load_state("load")
                        found = inspect(page)
                    totals["renders"] += 1
                    totals["executions"] += len(found["hits"])
                    totals["injected"] += found["marked"] + sum(n for _, n in found["forbidden"])
                    where = f"{name} ({mode})"
                    if found["hits"]:
                        failures.append(f"{where}: scripts ran: {found['hits'][:5]}")
                    if found["marked"] or found["forbidden"] or found["handlers"]:
                        failures.append(f"{where}: injected {found['marked']} marked elements, "
                                        f"{found['forbidden']}, handler attributes {found['handlers'][:5]}")
                    bad_links = [u for u in found["links"] if not safe_url(u or "")]
                    if bad_links:
                        failures.append(f"{where}: non-http(s) links {bad_links[:5]}")
                    if errors:
                        failures.append(f"{where}: page errors {errors[:3]}")
                    text = normalise(found["text"] + " " + found["titles"])
                    for field, payloads in expected.items():
                        if mode == "static" and field in ("build error", "error", "exposed (text)", "alert"):
                            continue
                        missing = [p for p in payloads if normalise(p) not in text]
                        totals["payload_fields"] += len(payloads)
                        if missing:
                            failures.append(f"{where}: {field}: {len(missing)} strings not visible, e.g. {missing[:2]}")
                finally:
                    page.close()
    finally:
        server.close()
    print("XSS-COUNTS chromium " + " ".join(f"{k}={v}" for k, v in totals.items())
          + f" payloads={len(PAYLOADS)} url_payloads={len(URL_PAYLOADS)} panels={len(panels.widgets)}")
    assert not failures, "\n".join(failures)
    assert totals["executions"] == 0 and totals["injected"] == 0


@pytest.mark.browser
def test_detectors_catch_unescaped_markup(browser: Any, tmp_path: Any) -> None:
    """The checks above can fail: the same payloads inserted as raw HTML run scripts and inject elements."""
    from tests.hardening.harness import PageServer, inspect

    server = PageServer(tmp_path)
    page = browser.new_page()
    try:
        raw = "".join(f"<div>{p}</div>" for p in PAYLOADS[:12]) + "".join(f"<a href='{u}'>u</a>" for u in URL_PAYLOADS)
        page.goto(server.static_page("canary", raw))
        wait_for(lambda: len(page.evaluate("window.__hits")) >= 3, 10, "the canary scripts to run")
        found = inspect(page)
        assert found["marked"] > 0 and found["forbidden"]
        assert any(not safe_url(u) for u in found["links"])
        assert audit(raw).bad
    finally:
        page.close()
        server.close()
