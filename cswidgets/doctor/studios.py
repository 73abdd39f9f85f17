"""Checks of the code studio reads: the project and studio lists, the status (states, times, zones, exposed
ports), and what DSS answers for a studio or a project that does not exist. Every call is a GET without side
effect, through the API core."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from cswidgets.api import assumptions
from cswidgets.api.errors import DSSError
from cswidgets.api.validate import id_problem

from .context import Context, items_of
from .verdicts import API, SIM, Check, confirmed, differs, uncheckable

__all__ = ["Sample", "check_studios", "sample_studios"]

MAX_PROJECTS = 100  # projects listed (the instance's size for the timings)
MAX_STATUSES = 40  # statuses read while looking for a running studio and one in transition
MISSING_ID = "cswdoctorNoSuchStudio"  # an id DSS cannot know (the doctor never writes it anywhere)
MISSING_PROJECT = "CSWDOCTORNOPROJECT"
NOT_RUNNING = "no studio is running here; starting one would be a write"


@dataclass
class Sample:
    """What the studio reads found: counts, and the statuses read (``(project key, studio id, raw status)``)."""

    projects: list[str] = field(default_factory=list)
    project_count: int = 0
    studio_count: int = 0
    items: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    statuses: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)

    def in_state(self, *states: str) -> list[tuple[str, str, dict[str, Any]]]:
        return [s for s in self.statuses if s[2].get("state") in states]


def sample_studios(ctx: Context) -> tuple[Sample, list[Check]]:
    """List the projects and their studios, read a few statuses (more until one is running)."""
    client, sample = ctx.client, Sample()
    try:
        projects = ctx.read("GET /projects/", client.list_projects)
    except DSSError as exc:
        how = f"GET /projects/ failed (HTTP {exc.status}): nothing can be listed"
        return sample, [differs("project list", "docs/dss-api.md §2.1", how, blocking=True)]
    keys = [p["projectKey"] for p in projects if isinstance(p.get("projectKey"), str)]
    sample.project_count = len(keys)
    sample.projects = keys[:MAX_PROJECTS]
    if projects and not keys:
        return sample, [differs("project list", "docs/dss-api.md §2.1", "projects listed without projectKey",
                                blocking=True)]
    checks = [confirmed("project list", "docs/dss-api.md §2.1", "a list of objects with projectKey")]
    for key in sample.projects:
        project = client.get_project(key)
        try:
            raw = ctx.read("GET /projects/{pk}/code-studios/", project.list_code_studios_raw)
        except DSSError:
            continue  # a project the key may not read: the table says so on its row; not a shape question
        items = [item for item in raw if isinstance(item, dict)]
        sample.studio_count += len(items)
        sample.items += [(key, item) for item in items]
    running_seen = transition_seen = False
    for key, item in sample.items:
        if len(sample.statuses) >= MAX_STATUSES or (running_seen and transition_seen and len(sample.statuses) >= 8):
            break
        sid = item.get("id")
        if not isinstance(sid, str) or id_problem(sid):
            continue
        studio = client.get_project(key).get_code_studio(sid)
        try:
            status = ctx.read("GET /projects/{pk}/code-studios/{id}/status", studio.get_status).get_raw()
        except DSSError:
            continue
        sample.statuses.append((key, sid, status))
        running_seen |= status.get("state") == "RUNNING"
        transition_seen |= status.get("state") in ("STARTING", "STOPPING")
    return sample, checks


def check_studios(ctx: Context, sample: Sample) -> list[Check]:
    """The shape checks of the list items and the statuses read."""
    checks = [_list_items(sample), _states(sample), _times(sample)]
    checks += _zones(sample)
    checks.append(_exposed(sample))
    checks += _missing(ctx, sample)
    return checks


def _list_items(sample: Sample) -> Check:
    name, where = "studio list items", f"{API} template_label_of; docs/dss-api.md §3.1"
    if not sample.items:
        return uncheckable(name, where, "no code studio on this instance")
    missing = [k for k in ("id", "name", "owner", "templateId") if any(k not in item for _, item in sample.items)]
    if missing:
        return differs(name, "docs/dss-api.md §3.1", f"items without {', '.join(missing)}",
                       path="those studios show empty cells; one without an id is left out (logged)")
    labelled = sum(1 for _, item in sample.items if isinstance(item.get("desc"), dict) and item["desc"].get("label"))
    if labelled < len(sample.items):
        return differs(name, where, f"{len(sample.items) - labelled} of {len(sample.items)} items have no desc.label",
                       path="the Template column shows the template id for them (a deleted template has none)")
    return confirmed(name, where, "id, name, owner, templateId and desc.label")


def _states(sample: Sample) -> Check:
    name, where = "studio states", f"{API} STUDIO_STATES; docs/dss-api.md §3.4"
    if not sample.statuses:
        return uncheckable(name, where, "no status could be read")
    odd = {_hashable(s[2].get("state")) for s in sample.statuses} - set(assumptions.STUDIO_STATES)
    if odd:
        return differs(name, where, f"{len(odd)} state value(s) outside STOPPED, STARTING, RUNNING, STOPPING",
                       path="those studios show the state UNKNOWN in the table and frames")
    seen = sorted({s[2]["state"] for s in sample.statuses})
    return confirmed(name, where, "states seen: " + ", ".join(seen))


def _times(sample: Sample) -> Check:
    name, where = "times in epoch milliseconds", "cswidgets/api/times.py; docs/dss-api.md §3.4"
    values = [s[2].get("lastStateChange") for s in sample.statuses]
    values = [v for v in values if isinstance(v, (int, float)) and not isinstance(v, bool) and v]
    if not values:
        return uncheckable(name, where, "no status carries lastStateChange")
    if all(v >= 10**11 for v in values):
        return confirmed(name, where, "lastStateChange is of epoch-millisecond size")
    return differs(name, where, "lastStateChange is too small for epoch milliseconds (seconds?)",
                   path="the Last change column shows dates in 1970: please report it")


def _zones(sample: Sample) -> list[Check]:
    shape_name, shape_where = "synced zones", f"{API} normalise_zone, ZONE_KEYS; docs/dss-api.md §3.4, §6"
    type_name = "zone types"
    type_where = f"{API} DEFAULT_ZONE_TYPES, zone_git_folder; {SIM} ZONE_KEYS; docs/dss-api.md §10"
    zones = [z for s in sample.in_state("RUNNING") for z in items_of(s[2], "syncedZones")]
    if not sample.in_state("RUNNING"):
        return [uncheckable(shape_name, shape_where, NOT_RUNNING), uncheckable(type_name, type_where, NOT_RUNNING)]
    if not zones:
        return [differs(shape_name, shape_where, "running studios list no syncedZones",
                        path="the conflict viewer has nothing to show"),
                uncheckable(type_name, type_where, "no zone listed")]
    missing = sorted({k for z in zones for k in assumptions.ZONE_KEYS if not isinstance(z, dict) or k not in z})
    first = (differs(shape_name, shape_where, "zone entries without " + ", ".join(missing),
                     path="missing texts are read as none, oneWay as false (two-way)")
             if missing else confirmed(shape_name, shape_where, "id, zone, pathInContainer, oneWay"))
    types = {assumptions.normalise_zone(z)["zone"] for z in zones if isinstance(z, dict)}
    unknown = [t for t in types if not assumptions.known_zone_type(t)]
    if unknown:
        second = differs(type_name, type_where, f"{len(unknown)} zone type(s) not among the documented defaults",
                         path="they are synced like any zone; their DSS-side history (diffs) is not looked up")
    else:
        second = confirmed(type_name, type_where, f"{len(types)} documented zone type(s)")
    return [first, second]


def _exposed(sample: Sample) -> Check:
    name, where = "exposed URLs", f"{API} absolute_exposed_url; docs/dss-api.md §3.4"
    urls = [e.get("url") for s in sample.in_state("RUNNING") for e in items_of(s[2], "exposed")
            if isinstance(e, dict)]
    urls = [u for u in urls if isinstance(u, str) and u]
    if not urls:
        return uncheckable(name, where, "no running studio exposes a port here")
    absolute = [u for u in urls if "://" in u or u.startswith("/")]
    if absolute:
        return differs(name, where, f"{len(absolute)} of {len(urls)} URLs are absolute, not relative to DSS's base",
                       path="absolute URLs are used as they are (the link shows their host when it is not DSS's)")
    return confirmed(name, where, "relative to DSS's base URL")


def _missing(ctx: Context, sample: Sample) -> list[Check]:
    """What a missing studio and a missing project answer (read-only: a status read of ids DSS cannot know)."""
    checks = []
    ctx.hide(MISSING_ID, MISSING_PROJECT)
    name, where = "a missing studio", f"{SIM} STATUS_NOT_FOUND, ERR_NOT_FOUND; docs/dss-api.md §4, §9"
    if sample.projects:
        studio = ctx.client.get_project(sample.projects[0]).get_code_studio(MISSING_ID)
        checks.append(_error_answer(name, where, studio.get_status, 404, "NotFoundException",
                                    "the panels show DSS's message for that studio"))
    else:
        checks.append(uncheckable(name, where, "no project to look in"))
    name, where = "a missing project", f"{SIM} STATUS_UNKNOWN_PROJECT; docs/dss-api.md §4, §7.6"
    project = ctx.client.get_project(MISSING_PROJECT)
    checks.append(_error_answer(name, where, project.list_code_studios_raw, 401, "UnauthorizedException",
                                "the panels show DSS's message for that project"))
    return checks


def _error_answer(name: str, where: str, call: Any, status: int, error_type: str, path: str) -> Check:
    try:
        call()
    except DSSError as exc:
        kind = (exc.error_type or "").rsplit(".", 1)[-1]
        shown = kind if kind.isidentifier() else "another errorType"
        if exc.status == status and kind == error_type:
            return confirmed(name, where, f"HTTP {status} {error_type}")
        if exc.status is None:
            return uncheckable(name, where, "no answer")
        return differs(name, where, f"HTTP {exc.status} {shown} (assumed: HTTP {status} {error_type})", path=path)
    return differs(name, where, "an answer without error", path=path)


def _hashable(value: Any) -> Any:
    return value if isinstance(value, (str, int, float, bool, type(None))) else type(value).__name__
