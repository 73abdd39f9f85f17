"""Every panel tells when it last read DSS successfully (``updated_ms``, shown "updated hh:mm:ss"): it moves
on after a successful read and stays put when a read fails (issue 15: "nothing says how old the data is")."""

from __future__ import annotations

import contextlib
import time

from cswidgets.widgets.conflicts import ConflictViewer
from cswidgets.widgets.future_progress import FutureProgress
from cswidgets.widgets.studio_table import StudioTable
from cswidgets.widgets.template_builds import TemplateBuilds
from tests.support import wait_for


def _moves_only_on_success(sim, panel, read, path):
    assert abs(panel.updated_ms - time.time() * 1000) < 60_000, panel.updated_ms  # the first read counted
    panel.updated_ms = 1  # a marker: an older read
    sim.set_faults(rate=1.0, kinds=["500"], methods=["GET"], path_contains=path)
    try:
        with contextlib.suppress(Exception):  # some panels raise on a failed read, the others show an alert
            read()
    finally:
        sim.clear_faults()
    assert panel.updated_ms == 1  # a failed read is not "updated"
    read()
    assert abs(panel.updated_ms - time.time() * 1000) < 60_000


def test_studio_table_and_template_builds_say_when_they_last_read(sim, client):
    table, builds = StudioTable(client), TemplateBuilds(client)
    try:
        _moves_only_on_success(sim, table, table.refresh, "/projects/")
        _moves_only_on_success(sim, builds, builds.refresh, "/admin/code-studios")
    finally:
        table.close()
        builds.close()


def test_conflict_viewer_says_when_it_last_read(sim, client):
    project = sim.add_project("UPDATED")
    studio_id = sim.add_studio(project, "updated", "admin", sim.template_ids()[0], state="RUNNING")
    viewer = ConflictViewer(client.get_project(project).get_code_studio(studio_id))
    try:
        _moves_only_on_success(sim, viewer, viewer.refresh, "/status")
    finally:
        viewer.close()


def test_a_progress_bar_says_when_it_last_heard_from_dss(sim, client):
    future = client.get_code_studio_template(sim.template_ids()[0]).build()
    bar = FutureProgress(future, client=client)
    try:
        wait_for(lambda: bar.updated_ms, 20, "a first answer about the build")
        wait_for(lambda: bar.final, 60, "the build to end")
        assert bar.final == "done" and bar.updated_ms >= future.state.get("startTime", 0) - 60_000
    finally:
        bar.close()
