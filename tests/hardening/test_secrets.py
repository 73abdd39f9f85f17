"""Secrets: with a recognisable API key, run every notebook against a simulator, save it with widget
state, export it to HTML, and capture DEBUG logs, reprs, synced state and exception texts: the key
(and its Basic-auth encoding) appears in none of them."""

from __future__ import annotations

import base64
import logging
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import nbformat
import pytest

from cswidgets.api import DSSError, connect
from cswidgets.sim import Simulator
from cswidgets.widgets.conflicts import ConflictViewer
from cswidgets.widgets.future_progress import FutureProgress
from cswidgets.widgets.studio_table import StudioTable
from cswidgets.widgets.template_builds import TemplateBuilds
from tests.support import ask, record, wait_for

KEY = "CSWSECRET-3f9a7c1e5b2d4a6f"
FORMS = (KEY, base64.b64encode(f"{KEY}:".encode()).decode(), KEY[10:])  # key, Basic token, its tail
NOTEBOOKS = sorted((Path(__file__).resolve().parents[2] / "notebooks").glob("*.ipynb"))
DEBUG_CELL = ("import logging, sys\n"
              "logging.basicConfig(level=logging.DEBUG, stream=sys.stdout, force=True)\n"
              "import os; print('env key set:', bool(os.environ.get('DKU_API_KEY')))")



def leaks(text: str) -> list[str]:
    return [f for f in FORMS if f in text]


@pytest.fixture(scope="module")
def sim() -> Iterator[Simulator]:
    with Simulator(scenario="demo", api_key=KEY, seed=5, speed=200) as s:
        yield s


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_saved_and_exported_without_the_key(sim: Simulator, path: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from nbclient import NotebookClient
    from nbconvert import HTMLExporter

    monkeypatch.setenv("DKU_DSS_URL", sim.url)
    monkeypatch.setenv("DKU_API_KEY", KEY)
    monkeypatch.delenv("DKU_API_TICKET", raising=False)
    nb = nbformat.read(path, as_version=4)
    nb.cells.insert(0, nbformat.v4.new_code_cell(DEBUG_CELL))
    NotebookClient(nb, timeout=180, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}},
                   store_widget_state=True, allow_errors=True).execute()
    saved = tmp_path / path.name
    nbformat.write(nb, saved)
    text = saved.read_text()
    assert "env key set: True" in text  # the key really was in the kernel's environment
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    html_text, _ = HTMLExporter().from_notebook_node(nb)
    assert not leaks(text), f"{path.name}: the saved notebook contains the key"
    assert not leaks(html_text), f"{path.name}: the HTML export contains the key"
    assert not errors or all(not leaks(str(e)) for e in errors)


def test_logs_reprs_state_and_errors_hold_no_key(sim: Simulator, caplog: pytest.LogCaptureFixture) -> None:
    texts: list[str] = []
    caplog.set_level(logging.DEBUG)
    logging.getLogger("urllib3").setLevel(logging.DEBUG)
    client = connect(url=sim.url, api_key=KEY, timeout=(1, 1), retries=1)
    texts += [repr(client), str(client), repr(client._transport), repr(client._transport.auth)]
    pk = sim.project_keys()[0]
    sid = sim.add_studio(pk, "secrets", "admin", sim.template_ids()[0], state="RUNNING")
    studio = client.get_project(pk).get_code_studio(sid)
    texts += [repr(studio), repr(studio.get_status()), repr(client.studios_frame())]
    # Errors of every kind: HTTP error bodies, a bad key, network failures, faults, a failed task.
    attempts = [lambda: client.get_project(pk).get_code_studio("nope").get_status(),
                lambda: connect(url=sim.url, api_key=KEY + "-wrong", retries=0).list_projects(),
                lambda: connect(url="http://127.0.0.1:9", api_key=KEY, timeout=(0.5, 0.5), retries=0).list_projects()]
    for attempt in attempts:
        with pytest.raises(DSSError) as info:
            attempt()
        texts += [str(info.value), repr(info.value), repr(info.value.body)]
    sim.set_faults(rate=1.0, kinds=("500", "reset", "stall"), stall_s=1.5, seed=2)
    for _ in range(6):
        try:
            studio.get_status()
        except DSSError as exc:
            texts += [str(exc), repr(exc)]
    sim.clear_faults()
    tpl = sim.template_ids()[0]
    sim.fail_next_build(tpl, f"build failed; the server echoed {KEY} in its log")
    with pytest.raises(DSSError) as info:
        client.get_code_studio_template(tpl).build().wait_for_result(timeout=60)
    texts += [str(info.value), repr(info.value)]
    # Every panel: synced state (what notebooks save), reprs, static HTML, alerts.
    widgets: list[Any] = []
    widgets.append(StudioTable(client))
    ask(widgets[-1], "stop", timeout=30.0, row=f"{pk}/nope")
    widgets.append(ConflictViewer(studio))
    builds = TemplateBuilds(client)
    record(builds)
    sim.fail_next_build(tpl, f"again {KEY}")
    builds.build(tpl)
    wait_for(lambda: not builds.running, 60, "the failing build")
    widgets.append(builds)
    sim.fail_next_build(tpl, f"bar {KEY}")
    bar = FutureProgress(client.get_code_studio_template(tpl).build(), client=client)
    wait_for(lambda: bar.final, 60, "the failing bar")
    widgets.append(bar)
    for w in widgets:
        bundle = w._repr_mimebundle_()
        data = bundle[0] if isinstance(bundle, tuple) else bundle
        texts += [repr(w), str(w.get_state()), data.get("text/html", ""), data.get("text/plain", "")]
        w.close()
    texts += [r.getMessage() + " " + str(r.exc_info or "") for r in caplog.records]
    client.close()
    found = {i: leaks(t) for i, t in enumerate(texts) if leaks(t)}
    assert not found, "the key leaked into: " + "; ".join(texts[i][:200] for i in found)
    assert len(caplog.records) > 20  # DEBUG logging really was on


def test_canary_would_be_caught() -> None:
    assert leaks(f"Authorization: Basic {FORMS[1]}") and leaks(f"key={KEY}")
    assert not os.environ.get("DKU_API_KEY", "").startswith("CSWSECRET")
