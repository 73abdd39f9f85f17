"""Bad arguments: every public function and constructor that takes an identifier, given an empty,
wrong-type, over-long or special-character value, raises a clear ``ValueError``/``TypeError`` and
sends nothing (the simulator's request log stays empty). Identifiers that are merely unusual
(``/ ? # % +`` and spaces) are legal: they must reach DSS as one percent-quoted path segment."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from cswidgets.api import connect
from cswidgets.sim import Simulator
from cswidgets.widgets.conflicts import ConflictViewer
from cswidgets.widgets.future_progress import FutureProgress
from cswidgets.widgets.studio_table import StudioTable
from cswidgets.widgets.template_builds import TemplateBuilds
from tests.support import record

BAD_IDS: dict[str, Any] = {
    "empty": "", "blank": "   ", "none": None, "int": 42, "list": ["abc"], "bytes": b"abc",
    "over-long": "x" * 1001, "nul": "a\x00b", "newline": "a\nb", "dot": ".", "dotdot": "..",
}


@pytest.fixture(scope="module")
def sim() -> Iterator[Simulator]:
    with Simulator(scenario="demo", api_key="k", seed=4, speed=100) as s:
        yield s


@pytest.fixture(scope="module")
def client(sim: Simulator) -> Iterator[Any]:
    c = connect(url=sim.url, api_key="k", retries=0)
    yield c
    c.close()


@pytest.fixture(scope="module")
def handles(sim: Simulator, client: Any) -> dict[str, Any]:
    pk = sim.project_keys()[0]
    sid = sim.add_studio(pk, "bad-args", "admin", sim.template_ids()[0], state="RUNNING")
    return {"pk": pk, "sid": sid, "project": client.get_project(pk),
            "studio": client.get_project(pk).get_code_studio(sid)}


def _calls(client: Any, h: dict[str, Any]) -> dict[str, Callable[[Any], Any]]:
    """Every public entry point that takes an identifier, with the bad value in that place."""
    calls: dict[str, Callable[[Any], Any]] = {
        "connect(url)": lambda v: connect(url=v, api_key="k"),
        "connect(api_key)": lambda v: connect(url="http://127.0.0.1:9", api_key=v),
        "client.get_project": client.get_project,
        "project.get_code_studio": h["project"].get_code_studio,
        "project.create_code_studio(name)": lambda v: h["project"].create_code_studio(v, "tpl"),
        "project.create_code_studio(template)": lambda v: h["project"].create_code_studio("n", v),
        "studio.check_conflicts": h["studio"].check_conflicts,
        "studio.pull_from_code_studio": h["studio"].pull_from_code_studio,
        "studio.push_to_code_studio": h["studio"].push_to_code_studio,
        "studio.change_owner": h["studio"].change_owner,
        "client.get_code_studio_template": client.get_code_studio_template,
        "client.create_code_studio_template(label)": lambda v: client.create_code_studio_template(v, "block_based"),
        "client.get_future": client.get_future,
        "client.studios_frame(project_keys)": lambda v: client.studios_frame([v]),
    }
    calls["StudioTable(project_keys)"] = lambda v: StudioTable(client, [v])
    calls["StudioTable(unknown kwarg)"] = lambda v: StudioTable(client, [h["pk"]], filtr=v)
    calls["ConflictViewer(client, project_key)"] = lambda v: ConflictViewer(client, v, h["sid"], check=False)
    calls["ConflictViewer(client, studio_id)"] = lambda v: ConflictViewer(client, h["pk"], v, check=False)
    calls["ConflictViewer(studio)"] = lambda v: ConflictViewer(v) if v is not None else ConflictViewer(v, v, 1)
    calls["FutureProgress(future)"] = FutureProgress
    calls["TemplateBuilds(client)"] = lambda v: TemplateBuilds(v)
    return calls


def _widget_methods(sim: Simulator, client: Any, h: dict[str, Any]) -> dict[str, Callable[[Any], Any]]:
    """Methods of panels (built before the log is cleared; closed by the test). Nothing of theirs reads DSS in
    the background (no live refresh, no first check), so the request log holds only what the call sent."""
    methods: dict[str, Callable[[Any], Any]] = {}
    table = StudioTable(client, [h["pk"]], live=False)
    record(table)
    methods |= {"table.start": table.start, "table.stop": table.stop, "table.open_conflicts": table.open_conflicts,
                "table.selected=": lambda v: setattr(table, "selected", [v])}
    viewer = ConflictViewer(h["studio"], check=False)
    record(viewer)
    methods |= {"viewer.check": viewer.check, "viewer.pull": lambda v: viewer.pull(v, force=True),
                "viewer.push": lambda v: viewer.push(v, force=True)}
    builds = TemplateBuilds(client)
    builds.wait_counts()  # its studio counts are read in the background once: done before the log is cleared
    record(builds)
    methods |= {"builds.build": builds.build, "builds.abort": builds.abort}
    methods["close"] = lambda: [panel.close() for panel in (table, viewer, builds)]
    return methods


#: Names and labels are free text (``"."`` or a long label are fine); ids and logins are not.
FREE_TEXT = {"project.create_code_studio(name)", "client.create_code_studio_template(label)"}
NOT_FOR_TEXT = {"dot", "dotdot", "over-long"}

KNOWN_DEFECTS: dict[str, str] = {}  # entry point -> a defect still open (none: all found ones are fixed)

ENTRY_POINTS = [
    "connect(url)", "connect(api_key)", "client.get_project", "project.get_code_studio",
    "project.create_code_studio(name)", "project.create_code_studio(template)", "studio.check_conflicts",
    "studio.pull_from_code_studio", "studio.push_to_code_studio", "studio.change_owner",
    "client.get_code_studio_template", "client.create_code_studio_template(label)", "client.get_future",
    "client.studios_frame(project_keys)", "StudioTable(project_keys)", "StudioTable(unknown kwarg)",
    "ConflictViewer(client, project_key)", "ConflictViewer(client, studio_id)", "ConflictViewer(studio)",
    "FutureProgress(future)", "TemplateBuilds(client)", "table.start", "table.stop", "table.open_conflicts",
    "table.selected=", "viewer.check", "viewer.pull", "viewer.push", "builds.build", "builds.abort",
]


@pytest.mark.parametrize("name", [
    pytest.param(n, marks=pytest.mark.xfail(strict=True, reason=f"defect: {KNOWN_DEFECTS[n]}"))
    if n in KNOWN_DEFECTS else n for n in ENTRY_POINTS])
def test_bad_identifiers_raise_and_send_nothing(sim: Simulator, client: Any, handles: dict[str, Any],
                                                name: str) -> None:
    calls = {**_calls(client, handles), **_widget_methods(sim, client, handles)}
    try:
        _check_entry_point(sim, calls, name)
    finally:
        calls["close"]()


def _check_entry_point(sim: Simulator, calls: dict[str, Callable[[Any], Any]], name: str) -> None:
    assert name in calls, f"{name}: no such entry point (renamed or removed?)"
    fn = calls[name]
    problems = []
    for label, value in BAD_IDS.items():
        if (name in FREE_TEXT and label in NOT_FOR_TEXT) or (name == "StudioTable(unknown kwarg)" and label != "empty"):
            continue
        sim.clear_requests()
        try:
            result = fn(value)
        except (ValueError, TypeError) as exc:
            if not str(exc):
                problems.append(f"{label}: {type(exc).__name__} without a message")
        except Exception as exc:
            problems.append(f"{label}: {type(exc).__name__} instead of ValueError/TypeError: {str(exc)[:120]}")
        else:
            problems.append(f"{label}: accepted {str(value)[:20]!r} (returned {type(result).__name__})")
            if hasattr(result, "close"):
                result.close()
        sent = [f"{r.method} {r.path[:60]}" for r in sim.requests]
        if sent:
            problems.append(f"{label}: sent {sent[:2]}")
    assert not problems, f"{name}:\n" + "\n".join(problems)


@pytest.mark.parametrize("ident", ["a/b", "a?b=c#d", "100%", "a+b c", "../x", "é€😀", "<script>"])
def test_unusual_ids_are_one_quoted_segment(sim: Simulator, client: Any, handles: dict[str, Any], ident: str) -> None:
    sim.clear_requests()
    with pytest.raises(Exception) as info:  # unknown studio: 404, nothing else
        handles["project"].get_code_studio(ident).get_status()
    assert getattr(info.value, "status", None) == 404, info.value
    (rec,) = sim.requests
    assert rec.path == f"/projects/{handles['pk']}/code-studios/{ident}/status"
    assert rec.query == {}
