"""Checks of the running tasks (``GET /futures/``, a peek at an unknown future) and of the templates (an
admin's reads). Only GETs without side effect: a peek (``peek=True``) never takes a result."""

from __future__ import annotations

from typing import Any

from cswidgets.api import assumptions
from cswidgets.api.errors import DSSError

from .context import Context
from .studios import Sample
from .verdicts import API, SIM, Check, confirmed, differs, uncheckable

__all__ = ["check_tasks", "check_templates"]

UNKNOWN_JOB = "cswdoctorNoSuchJob"
MOVING = ("STARTING", "STOPPING")
MAX_REREAD = 10  # studios in transition read again after the task list
SLOW_PATH = ("the live table finds another client's starts and stops in its rolling pass (every row within "
             "its pass time, see the timings) instead of within a second or two; its own actions are followed as usual")


def check_tasks(ctx: Context, sample: Sample) -> list[Check]:
    checks = []
    name, where = "running tasks list other users' tasks", "docs/dss-api.md §10 Running tasks (allUsers needs an admin)"
    items: list[Any] | None = None
    try:
        items = ctx.read("GET /futures/", lambda: ctx.client.list_futures(all_users=True))
        checks.append(confirmed(name, where, "allUsers=true is allowed for this key"))
    except DSSError as exc:
        if exc.status in (401, 403):
            checks.append(differs(name, where, f"allUsers=true refused (HTTP {exc.status}): not an admin",
                                  path="the live table reads only your own running tasks; other users' starts and "
                                  "stops show in its rolling pass"))
            try:
                items = ctx.read("GET /futures/", ctx.client.list_futures)
            except DSSError:
                items = None
        else:
            checks.append(differs(name, where, f"GET /futures/ answered HTTP {exc.status}", path=SLOW_PATH))
    all_users = checks[0].verdict != "differs"
    checks.append(_studio_tasks(ctx, sample, items, all_users))
    checks.append(_unknown_future(ctx))
    return checks


def _still_moving(ctx: Context, moving: list[tuple[str, str, dict[str, Any]]]) -> int:
    """How many of the studios seen starting or stopping still are (read again after the task list: a task
    that ended in between is not a task the list failed to name)."""
    still = 0
    for pk, sid, _ in moving[:MAX_REREAD]:
        try:
            status = ctx.client.get_project(pk).get_code_studio(sid).get_status().get_raw()
        except DSSError:
            continue
        still += status.get("state") in MOVING
    return still


def _studio_tasks(ctx: Context, sample: Sample, items: list[Any] | None, all_users: bool) -> Check:
    name = "running tasks name their studios"
    where = f"{API} studios_of_task, task_action; {SIM} studio_task_payload; docs/dss-api.md §10 Running tasks"
    moving = sample.in_state(*MOVING)
    if items is None:
        return uncheckable(name, where, "the running tasks could not be read")
    named = [pair for item in items for pair in assumptions.studios_of_task(item)]
    stated = [i for i in items if isinstance(i, dict) and ("alive" in i or "progress" in i or "hasResult" in i)]
    if named:
        if len(stated) < len(items):
            return differs(name, where, "tasks are listed without their state (alive, progress)",
                           path="the table re-reads the studios they name; the State column shows no task progress")
        return confirmed(name, where, f"{len(named)} studio task(s) named, with their state")
    if moving and not all_users:
        return uncheckable(name, where, "your own tasks only are listed to this key, and the studios starting or "
                           "stopping may be other users'")
    still = _still_moving(ctx, moving) if moving else 0
    if still:
        bare = " and without their state (alive, progress)" if items and len(stated) < len(items) else ""
        how = f"{still} studio(s) are starting or stopping, but no running task names a studio{bare}"
        return differs(name, where, how, path=SLOW_PATH)
    return uncheckable(name, where, "no studio is starting or stopping now; starting one would be a write")


def _unknown_future(ctx: Context) -> Check:
    name = "a future DSS does not know"
    where = f"{API} UNKNOWN_FUTURE_STATUSES, future_is_unknown; {SIM} unknown_future; docs/dss-api.md §2.3, §9"
    ctx.hide(UNKNOWN_JOB)
    future = ctx.client.get_future(UNKNOWN_JOB)
    try:
        state = ctx.read("GET /futures/{job}?peek=True", future.peek_state)
    except DSSError as exc:
        if exc.status in assumptions.UNKNOWN_FUTURE_STATUSES:
            return confirmed(name, where, f"HTTP {exc.status} (one of the two variants cswidgets reads)")
        return differs(name, where, f"HTTP {exc.status}",
                       path="a task whose future is gone is reported as failed, with DSS's message")
    if assumptions.future_is_unknown(state):
        return confirmed(name, where, "HTTP 200 with unknown: true")
    return differs(name, where, "HTTP 200 without unknown: true",
                   path="a task whose future is gone is followed until its wait times out")


def check_templates(ctx: Context) -> list[Check]:
    name, where = "template list", f"{API} template_list_label_of; docs/dss-api.md §2.2, §3.7"
    try:
        items = ctx.read("GET /admin/code-studios/", ctx.client.list_code_studio_templates)
    except DSSError as exc:
        if exc.status in (401, 403):
            ctx.admin = False
            return [uncheckable(name, where, f"needs an admin (HTTP {exc.status} for this key)")]
        return [differs(name, where, f"HTTP {exc.status}", path="TemplateBuilds shows the error; the rest works")]
    ctx.admin = True
    raws = [item.get_raw() for item in items]
    if not raws:
        return [uncheckable(name, where, "no template on this instance")]
    checks = []
    unlabelled = sum(1 for r in raws if not r.get("label"))
    bad_built = sum(1 for r in raws if not isinstance(r.get("buildFor", []), list))
    if unlabelled or bad_built:
        checks.append(differs(name, where, f"{unlabelled} item(s) without label, {bad_built} with a buildFor "
                              "that is not a list", path="those templates show their id as label"))
    else:
        checks.append(confirmed(name, where, "id, label, buildFor, lastBuilt"))
    settings_name, settings_where = "template settings", "docs/dss-api.md §3.7"
    try:
        template = items[0].to_code_studio_template()
    except (DSSError, ValueError):
        checks.append(uncheckable(settings_name, settings_where, "no usable template id"))
        return checks
    try:
        settings = ctx.read("GET /admin/code-studios/{tpl}", template.get_settings).get_raw()
    except DSSError as exc:
        checks.append(differs(settings_name, settings_where, f"HTTP {exc.status}",
                              path="TemplateBuilds shows the error"))
        return checks
    missing = [k for k in ("id", "type", "label") if k not in settings]
    checks.append(differs(settings_name, settings_where, "settings without " + ", ".join(missing),
                          path="TemplateBuilds shows what is there") if missing
                  else confirmed(settings_name, settings_where, "id, type, label"))
    return checks
