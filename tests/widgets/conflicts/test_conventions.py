"""The panel conventions (written once in :class:`cswidgets.widgets.shared.panel.Panel`'s docstring), as a
user of each panel meets them: what ``refresh()`` returns when DSS fails, what a repeated click gets, how
handlers are named."""

from __future__ import annotations

import inspect
import threading

import pytest

from cswidgets.widgets.activity import ActivityPanel
from cswidgets.widgets.conflicts import ConflictViewer
from cswidgets.widgets.future_progress import FutureProgress
from cswidgets.widgets.shared.panel import Panel
from cswidgets.widgets.template_builds import TemplateBuilds
from tests.support import ask, record
from tests.widgets.conflicts.conftest import ZONE


def test_refresh_returns_counts_and_the_error_and_never_raises(sim, client, studio):
    viewer, builds = ConflictViewer(studio), TemplateBuilds(client)
    try:
        assert viewer.refresh()["error"] is None and builds.refresh()["error"] is None
        n_templates = len(builds.rows)
        sim.set_faults(rate=1.0, kinds=["500"])
        try:
            failed_viewer, failed_builds = viewer.refresh(), builds.refresh()
        finally:
            sim.clear_faults()
        for panel, result in ((viewer, failed_viewer), (builds, failed_builds)):
            assert result["error"] and "500" in result["error"]
            assert [a for a in panel.alerts if a.get("key") == "load"]  # shown, not raised
        assert len(builds.rows) == n_templates  # what was shown stays
        assert viewer.refresh()["error"] is None and not [a for a in viewer.alerts if a.get("key") == "load"]
    finally:
        viewer.close()
        builds.close()


def test_a_repeated_click_is_answered_not_accepted_and_recorded_refused(sim, studio):
    viewer = ConflictViewer(studio)
    record(viewer)
    release, started = threading.Event(), threading.Event()
    real = viewer.studio.push_to_code_studio

    def slow_push(zone_id):
        started.set()
        assert release.wait(15)
        return real(zone_id)

    viewer.studio.push_to_code_studio = slow_push
    first = threading.Thread(target=viewer.push, args=(ZONE,), kwargs={"force": True})
    first.start()
    try:
        assert started.wait(15)
        key = next(z["key"] for z in viewer.zones if z["type"] == ZONE)
        n_alerts = len(viewer.alerts)
        reply = ask(viewer, "push", zone=key, confirm=None)
        assert reply["ok"] is True and reply["result"]["accepted"] is False
        assert "already running" in reply["result"]["reason"]
        assert len(viewer.alerts) == n_alerts  # no alert: the zone already shows the push running
        assert viewer.activity[-1]["outcome"] == "refused"
    finally:
        release.set()
        first.join(15)
        viewer.close()


@pytest.mark.parametrize("cls", [Panel, ConflictViewer, TemplateBuilds, FutureProgress, ActivityPanel],
                         ids=lambda c: c.__name__)
def test_message_handlers_are_named_on_kind(cls):
    for name, member in vars(cls).items():
        kind = getattr(member, "_csw_action", None)
        if kind:
            assert name == f"_on_{kind}", f"{cls.__name__}.{name} handles {kind!r}: name it _on_{kind}"
    assert "refresh()" in inspect.getdoc(Panel) and "repeated click" in inspect.getdoc(Panel)
