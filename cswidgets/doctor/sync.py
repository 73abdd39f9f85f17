"""Checks of the file sync reads: the conflicts answer, the project git (which folder holds a zone, the
shape of diff entries) and what the history tells of the sync model. Only GETs without side effect:
``conflicts`` and the project git reads (never ``pull`` or ``push``, which are GETs *with* side effects)."""

from __future__ import annotations

from typing import Any

from cswidgets.api import assumptions
from cswidgets.api.errors import DSSError

from .context import Context, items_of
from .studios import NOT_RUNNING, Sample
from .verdicts import API, SIM, Check, confirmed, differs, uncheckable

__all__ = ["check_sync"]

NO_ZONE = "cswdoctor-no-such-zone"
HISTORY = 20  # commits looked at per project (for the entries' shape and the sync model)
GIT_PROJECTS = 5  # projects whose history is looked at (those with a running studio first)
ENTRY_KEYS = ("changeType", "oldPath", "newPath", "diff")
GIT_WHERE = f"{API} git_entry_change, git_entry_diff; {SIM} git_commit_json; docs/dss-api.md §10"


def check_sync(ctx: Context, sample: Sample) -> list[Check]:
    studio, zones = _running_studio_with_zones(sample)
    checks = _conflicts(ctx, studio, zones)
    running = [pk for pk, _, _ in sample.in_state("RUNNING")]
    projects = list(dict.fromkeys([*running, *sample.projects]))[:GIT_PROJECTS]
    entries_check, histories = _git_entries(ctx, projects)
    checks.append(_git_folder(ctx, studio, zones))
    checks.append(entries_check)
    checks.append(_sync_model(histories))
    checks.append(uncheckable("answer of a consumed future", f"{SIM} DEFAULT_CONSUME_FUTURES; docs/dss-api.md §10",
                              "reading a result consumes it"))
    checks.append(uncheckable("stop of a stopped studio", f"{SIM} completed_future_without_job; docs/dss-api.md §3.6",
                              "a stop is a write"))
    return checks


def _running_studio_with_zones(sample: Sample) -> tuple[tuple[str, str] | None, list[dict[str, Any]]]:
    for pk, sid, status in sample.in_state("RUNNING"):
        zones = [assumptions.normalise_zone(z) for z in items_of(status, "syncedZones")]
        zones = [z for z in zones if z["id"]]
        if zones:
            return (pk, sid), zones
    return None, []


def _conflicts(ctx: Context, studio: tuple[str, str] | None, zones: list[dict[str, Any]]) -> list[Check]:
    name, where = "conflicts answer", "cswidgets/api/codestudio.py CodeStudioConflicts; docs/dss-api.md §3.5"
    err_name, err_where = "conflicts of an unknown zone", f"{SIM} conflicts_error; docs/dss-api.md §3.5"
    if studio is None:
        return [uncheckable(name, where, NOT_RUNNING), uncheckable(err_name, err_where, NOT_RUNNING)]
    handle = ctx.client.get_project(studio[0]).get_code_studio(studio[1])
    checks = []
    try:
        raw = ctx.read("GET /projects/{pk}/code-studios/{id}/conflicts/{zone}",
                       lambda: handle.check_conflicts(zones[0]["id"]), keyed_by_value=True).get_raw()
    except DSSError as exc:
        checks.append(differs(name, where, f"HTTP {exc.status} for a zone the status lists",
                              path="the conflict viewer shows the error on that zone"))
    else:
        body = raw.get(zones[0]["id"])
        lists_ok = isinstance(body, dict) and all(isinstance(body.get(k, []), list)
                                                  for k in ("added", "modified", "deleted", "authors"))
        if lists_ok and isinstance(body.get("commitTo"), str):
            checks.append(confirmed(name, where, "keyed by the zone, with commitFrom, commitTo and the lists"))
        else:
            checks.append(differs(name, where, "not keyed by the zone id, or without commitTo and lists",
                                  path="the viewer shows no conflicts for that zone: check the studio before a pull"))
    ctx.hide(NO_ZONE)
    try:
        raw = handle.check_conflicts(NO_ZONE).get_raw()
    except DSSError as exc:
        checks.append(differs(err_name, err_where, f"HTTP {exc.status} (assumed: HTTP 200 with an error key)",
                              path="the viewer shows DSS's error on that zone, as for an answer with an error key"))
    else:
        checks.append(confirmed(err_name, err_where, "HTTP 200 with an error key") if "error" in raw else
                      differs(err_name, err_where, "HTTP 200 without an error key",
                              path="a zone id from a previous start shows as a zone without conflicts"))
    return checks


def _git_folder(ctx: Context, studio: tuple[str, str] | None, zones: list[dict[str, Any]]) -> Check:
    name = "the git folder of each zone"
    where = f"{API} PROJECT_GIT_FOLDERS, zone_git_folder; {SIM} PROJECT_GIT_FOLDERS; docs/dss-api.md §10"
    if studio is None:
        return uncheckable(name, where, NOT_RUNNING)
    handle = ctx.client.get_project(studio[0]).get_code_studio(studio[1])
    git = ctx.client.get_project(studio[0]).get_project_git()
    tried = 0
    for zone in zones:
        folder = assumptions.zone_git_folder(zone["zone"], studio[1])
        if folder is None:
            continue
        try:
            body = handle.check_conflicts(zone["id"]).get_raw().get(zone["id"])
            commit = body.get("commitTo") if isinstance(body, dict) else None
            if not isinstance(commit, str):
                continue
            tried += 1
            log = ctx.read("GET /projects/{pk}/git/actions/log", lambda f=folder: git.log(path=f.rstrip("/"), count=50))
        except DSSError as exc:
            return differs(name, where, f"the project git answered HTTP {exc.status}",
                           path="the conflict viewer and the pull confirmation list files without their diffs")
        ids = [e.get("id") for e in items_of(log, "entries") if isinstance(e, dict)]
        if commit in ids:
            return confirmed(name, where, "a zone's last commit is in the history of its folder")
        return differs(name, where, "a zone's last commit is not in the history of the folder assumed for it",
                       path="the conflict viewer and the pull confirmation list files without their diffs")
    return uncheckable(name, where, "no running zone is versioned in the project git" if not tried else "no commit")


History = list[tuple[dict[str, Any], list[Any]]]


def _history(ctx: Context, project: str) -> History:
    """The recent history of a project's git, ``[(commit, diff entries)]``, oldest first."""
    git = ctx.client.get_project(project).get_project_git()
    log = ctx.read("GET /projects/{pk}/git/actions/log", lambda: git.log(count=HISTORY))
    commits = [c for c in items_of(log, "entries") if isinstance(c, dict) and isinstance(c.get("id"), str)]
    history = []
    for commit in commits:
        diff = ctx.read("GET /projects/{pk}/git/actions/diff", lambda c=commit: git.diff(commit_from=c["id"]))
        history.append((commit, items_of(diff, "entries")))
    history.reverse()
    return history


def _git_entries(ctx: Context, projects: list[str]) -> tuple[Check, list[History]]:
    """The shape of diff entries, and the recent history of each project."""
    name = "git diff entries"
    if not projects:
        return uncheckable(name, GIT_WHERE, "no project"), []
    histories = []
    for project in projects:
        try:
            histories.append(_history(ctx, project))
        except (DSSError, ValueError) as exc:
            why = getattr(exc, "status", None) or "an id no handle takes"
            return differs(name, GIT_WHERE, f"the project git could not be read ({why})",
                           path="the conflict viewer and the pull confirmation list files without their diffs"), []
    entries = [e for history in histories for _, es in history for e in es]
    if not entries:
        return uncheckable(name, GIT_WHERE, "no commit with changes in the projects' recent history"), histories
    odd = sorted({k for e in entries for k in ENTRY_KEYS if not isinstance(e, dict) or k not in e})
    if odd:
        readable = sum(1 for e in entries if isinstance(e, dict) and assumptions.git_entry_change(e))
        path = ("files are listed from the paths found, without their diffs" if readable else
                "the conflict viewer and the pull confirmation list files without their diffs")
        return differs(name, GIT_WHERE, "entries without " + ", ".join(odd), path=path), histories
    return confirmed(name, GIT_WHERE, "changeType, oldPath, newPath, diff"), histories


def _changed_lines(entry: dict[str, Any]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    text = assumptions.git_entry_diff(entry) or ""
    lines = text.splitlines()
    added = tuple(x[1:] for x in lines if x.startswith("+") and not x.startswith("+++"))
    removed = tuple(x[1:] for x in lines if x.startswith("-") and not x.startswith("---"))
    return added, removed


def _sync_model(histories: list[History]) -> Check:
    """A mirror pull replaces DSS's copy of a zone with the studio's: the history then shows a commit that
    undoes, line for line, another author's change to the same file. Merge never does."""
    name, where = "sync model (pull)", f"{SIM} SYNC_MODELS, DEFAULT_SYNC_MODEL; docs/dss-api.md §10 Pull semantics"
    for history in histories:
        if _undone(history):
            return differs(name, where, "a commit undid, line for line, another user's change to the same file, "
                           "as a mirror pull does (the studio's copy replaced DSS's; a manual revert looks the same)",
                           path="a pull may undo DSS-side changes: the pull confirmation lists every DSS-side "
                           "change since the last sync; read it before confirming")
    count = sum(len(h) for h in histories)
    how = (f"a pull is a write; the last {count} commits show no change undone by another user"
           if count else "a pull is a write, and no history could be read")
    return uncheckable(name, where, how)


def _undone(history: History) -> bool:
    last: dict[str, tuple[Any, tuple[str, ...], tuple[str, ...]]] = {}
    for commit, entries in history:
        for entry in entries:
            if not isinstance(entry, dict):
                continue
            change = assumptions.git_entry_change(entry)
            if change is None:
                continue
            added, removed = _changed_lines(entry)
            before = last.get(change[1])
            if (before is not None and before[0] != commit.get("author") and (added or removed)
                    and (added, removed) == (before[2], before[1])):
                return True
            last[change[1]] = (commit.get("author"), added, removed)
    return False
