"""Copy as Python (#24) in TemplateBuilds: abort (the build's future), export (the zip written where the code says),
import (the archive the user chose), delete (its confirmation, with its options) and "restart the N outdated
running studios" -- each run as copied against the frozen simulator has the panel's effect."""

from __future__ import annotations

import zipfile

import pytest

from cswidgets.widgets.template_builds import TemplateBuilds
from tests.support import ask, record, wait_for

from ..copied import run_copied
from ..frozen_time import ADMIN_KEY


@pytest.fixture
def panel(client, tracker):
    p = TemplateBuilds(client, tracker=tracker)
    record(p)
    yield p
    p.close()


def _entry(panel, what: str) -> dict:
    return wait_for(lambda: next((e for e in panel.activity if e["what"] == what and e["outcome"] != "running"), None),
                    10, f"the {what} entry")


def test_an_abort_copied_from_the_activity_aborts_that_builds_future(panel, client, sim, monkeypatch):
    panel.build("tpl_vscode")
    [build] = panel.builds
    code = ask(panel, "code", what="abort", build=build["key"])["result"]["code"]  # before the click
    job_id = panel.running["tpl_vscode"].job_id
    assert f"client.get_future({job_id!r}).abort()" in code
    assert ask(panel, "abort", key=build["key"])["ok"] is True
    assert _entry(panel, "abort")["code"] == code  # the activity row carries the same code
    wait_for(lambda: panel.builds[0]["final"] == "aborted", 10, "the panel's abort")
    again = panel.build("tpl_jupyterlab")  # a second build, aborted by the copied code only
    bar = lambda: next(b for b in panel.builds if b["template_id"] == "tpl_jupyterlab")  # noqa: E731
    code = ask(panel, "code", what="abort", build=bar()["key"])["result"]["code"]
    assert f"client.get_future({again.job_id!r}).abort()" in code
    run_copied(code, sim.url, ADMIN_KEY, monkeypatch)
    wait_for(lambda: bar()["final"] == "aborted", 10, "the copied abort")  # what the panel's Abort shows
    assert [e["what"] for e in panel.activity].count("abort") == 1  # the copied code, not the panel, aborted it


def test_export_and_import_copy_the_path_chosen(panel, client, sim, monkeypatch, tmp_path):
    row = next(r for r in panel.rows if r["id"] == "tpl_vscode")
    chosen = tmp_path / "vscode.zip"
    panel.export(row["id"], chosen)
    entry = _entry(panel, "export")
    assert f"export_to_file({str(chosen)!r})" in entry["code"]
    chosen.unlink()
    run_copied(entry["code"], sim.url, ADMIN_KEY, monkeypatch)
    assert zipfile.is_zipfile(chosen)  # the copied code wrote the zip where the user chose
    download = ask(panel, "code", what="export", template_id=row["id"])["result"]["code"]
    assert "export_to_file('VS Code.zip')" in download  # the browser's download name
    before = {t.id for t in client.list_code_studio_templates()}
    new_id = panel.import_template(chosen, label="Copied import")
    entry = _entry(panel, "import")
    assert f"import_code_studio_template({str(chosen)!r}, label='Copied import')" in entry["code"]
    run_copied(entry["code"], sim.url, ADMIN_KEY, monkeypatch)
    labels = [t.label for t in client.list_code_studio_templates() if t.id not in before]
    assert labels.count("Copied import") == 2 and new_id is not None  # the panel's, and the copied code's
    uploaded = ask(panel, "code", what="import", name="mine.zip", label=None)["result"]["code"]
    assert "import_code_studio_template('mine.zip', label=None)" in uploaded
    assert "chosen in the browser" in uploaded  # says the path must be given where it runs
    assert ask(panel, "code", what="import", name=None)["ok"] is False


def test_a_delete_confirmation_copies_the_delete_with_its_options(panel, client, sim, monkeypatch, tmp_path):
    reply = ask(panel, "code", what="delete", template_id="tpl_vscode", delete_runtime=True, delete_images=False)
    code = reply["result"]["code"]
    assert "delete(delete_runtime=True, delete_images=False)" in code
    assert "tpl_vscode" in [t.id for t in client.list_code_studio_templates()]  # copying never acts
    run_copied(code, sim.url, ADMIN_KEY, monkeypatch)
    assert "tpl_vscode" not in [t.id for t in client.list_code_studio_templates()]
    panel.refresh()
    assert ask(panel, "code", what="delete", template_id="tpl_vscode")["ok"] is False  # gone: unknown template
    row = panel.rows[0]
    panel.delete(row["id"], delete_images=True)
    assert "delete(delete_runtime=False, delete_images=True)" in _entry(panel, "delete")["code"]


def _restarts(sim) -> list[str]:
    return [r.path.split("/")[-2] for r in sim.requests if r.method == "POST" and r.path.endswith("/restart")]


def test_the_restart_offer_copies_the_restart_of_exactly_the_studios_named(panel, client, sim, monkeypatch):
    panel.build("tpl_vscode")
    sim.advance(31)
    panel.wait(10)
    [build] = panel.builds
    assert len(build["restart"]) == 1
    code = ask(panel, "code", what="restart outdated", build=build["key"])["result"]["code"]
    assert f"only={build['restart']!r}" in code and "restart_outdated_studios(dry_run=False" in code
    sim.clear_requests()
    run_copied(code, sim.url, ADMIN_KEY, monkeypatch)
    assert _restarts(sim) == [build["restart"][0].split("/")[1]]  # what the offer's button restarts
    assert ask(panel, "code", what="restart outdated", build="gone#1")["ok"] is False


def test_the_offers_restart_rows_carry_their_code(panel, sim):
    panel.build("tpl_vscode")
    sim.advance(31)
    panel.wait(10)
    [build] = panel.builds
    offered = build["restart"]
    assert ask(panel, "restart_studios", key=build["key"])["ok"] is True
    (restart,) = [e for e in panel.activity if e["what"] == "restart"]  # recorded by the API core: code added
    project_key, studio_id = offered[0].split("/")
    assert f"get_project({project_key!r}).get_code_studio({studio_id!r})" in restart["code"]
    (run,) = [e for e in panel.activity if e["what"] == "restart outdated"]
    assert f"only={offered!r}" in run["code"]


def test_a_progress_bars_abort_confirmation_copies_the_abort_of_its_task(client, sim, tracker, monkeypatch):
    from cswidgets.widgets.future_progress import FutureProgress

    future = client.get_code_studio_template("tpl_vscode").build()
    bar = FutureProgress(future, tracker=tracker)
    record(bar)
    try:
        code = ask(bar, "code")["result"]["code"]
        assert f"client.get_future({future.job_id!r}).abort()" in code
        run_copied(code, sim.url, ADMIN_KEY, monkeypatch)
        wait_for(lambda: bar.final == "aborted", 10, "the bar to show the copied abort")
        assert bar.abort_requested is False  # the copied code aborted it, not the bar's button
    finally:
        bar.close()
