"""The idle policy: stop the code studios that have run too long, safely (``Client.stop_idle``).

A dry run by default: it reads, decides and reports, and stops nothing. Its DataFrame has one row per RUNNING
studio (:data:`POLICY_COLUMNS`) with a ``decision``:

- ``stop``: running longer than the threshold, no conflict, not excluded (and, with ``unchanged_since``, no
  studio-side change since the previous run) -- stopped when ``dry_run=False``;
- ``keep``: not idle: running for less than the threshold, changed since the previous run, or no previous
  run to compare with;
- ``skip``: would be stopped, but a rule forbids it: its owner, project or template is excluded, its running
  time is unknown, it has conflicts (a stop pulls every two-way zone: the studio's version of a conflicting
  file would replace DSS's), or its conflicts could not be checked.

``df.attrs``: ``dry_run``, ``threshold``, ``server_time``, ``stopped`` (how many stops ended ``done``) and
``errors`` -- the projects and studios that could not be read (``studios_frame``'s), so none is skipped silently.

Safety rules, in the order they apply to a ``stop`` when ``dry_run=False``:

1. Just before its stop each chosen studio is read again (its status and its conflicts checks): if it is no
   longer RUNNING since the same time, or has conflicts now, or changed since the decision, it is skipped.
2. A stop is sent once, never retried (``DSSOutcomeUnknownError``: the answer was lost; the studio is read again
   and the row says "outcome unknown" with what DSS now shows).
3. Every stop sent is recorded in the activity log passed as ``activity`` (see below) with its outcome.

``activity``: a :class:`cswidgets.widgets.activity.ActivityLog` (or anything with its
``record(what=, outcome=, who=, panel=, project_key=, studio_id=, studio=, message=, duration_s=)`` method), or
a callable that takes the entry as one dict with those keys. The API core does not import the widgets, so it
takes either.

``unchanged_since``: a JSON file holding, per studio, the fingerprint of its conflicts checks at the previous
real run (:mod:`cswidgets.api.governance`); a studio is stopped only when its fingerprint is the same. The file
is read at the start and written (atomically) at the end of a run with ``dry_run=False`` only, so a dry run
does not move the comparison point of the nightly run. A studio absent from it is kept ("no previous run").
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import pandas as pd

from . import assumptions
from .compat import text_series
from .errors import DSSError, DSSOutcomeUnknownError
from .governance import ServerClock, SyncCheck, check_studio, check_studios
from .times import to_ms

if TYPE_CHECKING:
    from .client import Client
    from .futures import Future

__all__ = ["POLICY_COLUMNS", "parse_duration", "recheck", "recorder", "state_now", "stop_idle"]

POLICY_COLUMNS = ("project_key", "id", "name", "owner", "template_id", "running_for", "unsynced_files",
                  "conflicts", "decision", "reason", "outcome")
FINGERPRINTS_VERSION = 1


def parse_duration(value: Any, what: str = "running_longer_than") -> timedelta:
    """A positive duration from a ``timedelta``, a pandas ``Timedelta``, a number of seconds or a text pandas
    reads ("8h", "90min", "1 day 2h"); ``ValueError`` naming ``what`` otherwise."""
    if isinstance(value, bool) or value is None:
        raise ValueError(f"{what} must be a duration such as '8h', not {value!r}")
    try:
        delta = pd.Timedelta(seconds=value) if isinstance(value, (int, float)) else pd.Timedelta(value)
    except (ValueError, TypeError, OverflowError):
        raise ValueError(f"{what} must be a duration such as '8h' or '90min', not {value!r}") from None
    if pd.isna(delta) or delta <= pd.Timedelta(0):
        raise ValueError(f"{what} must be a positive duration, not {value!r}")
    return delta.to_pytimedelta()


def human(delta: Any) -> str:
    """``2d 3h``, ``9h 05m``, ``12m``: a running time as the reasons say it."""
    minutes = max(int(pd.Timedelta(delta).total_seconds() // 60), 0)  # a clock skew never shows as negative
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{days}d {hours}h"
    return f"{hours}h {mins:02d}m" if hours else f"{mins}m"


def _names(value: str | Iterable[str] | None, what: str) -> frozenset[str]:
    if value is None:
        return frozenset()
    if isinstance(value, str):
        return frozenset([value])
    names = list(value) if isinstance(value, Iterable) else [value]
    if not all(isinstance(n, str) for n in names):
        raise ValueError(f"{what} must be a name or a list of names (strings), not {value!r}")
    return frozenset(names)


def recorder(activity: Any) -> Callable[[dict[str, Any]], None] | None:
    if activity is None:
        return None
    record = getattr(activity, "record", None)
    if callable(record):
        return lambda entry: record(**entry)
    if callable(activity):
        return activity
    raise TypeError("activity must be an ActivityLog (anything with a record(...) method) or a callable")


def read_fingerprints(path: str | os.PathLike[str]) -> dict[str, str]:
    """``{"PROJECT/id": fingerprint}`` from a file written by a previous run (``{}`` when it does not exist;
    ``ValueError`` when it is not such a file)."""
    try:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as err:
        raise ValueError(f"cannot read the fingerprints file {os.fspath(path)!r}: {err}") from None
    studios = doc.get("studios") if isinstance(doc, dict) else None
    if not isinstance(studios, dict) or not all(isinstance(v, str) for v in studios.values()):
        raise ValueError(f"{os.fspath(path)!r} is not a fingerprints file of stop_idle")
    return dict(studios)


def write_fingerprints(path: str | os.PathLike[str], fingerprints: Mapping[str, str], when: datetime) -> None:
    """Write the file atomically (a temporary file, then a rename)."""
    path = os.fspath(path)
    tmp = f"{path}.tmp-{os.getpid()}"
    doc = {"version": FINGERPRINTS_VERSION, "saved_at": when.isoformat(timespec="seconds"),
           "studios": dict(sorted(fingerprints.items()))}
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=1)
    os.replace(tmp, path)


def stop_idle(
    client: Client,
    running_longer_than: Any = "8h",
    *,
    dry_run: bool = True,
    project_keys: str | Iterable[str] | None = None,
    exclude_owners: str | Iterable[str] | None = None,
    exclude_projects: str | Iterable[str] | None = None,
    exclude_templates: str | Iterable[str] | None = None,
    unchanged_since: str | os.PathLike[str] | None = None,
    activity: Any = None,
    who: str | None = None,
    wait: float | None = 600.0,
    pool_size: int | None = None,
    frame: pd.DataFrame | None = None,
    only: str | Iterable[str] | None = None,
) -> pd.DataFrame:
    """Apply the idle policy (see the module docstring); a DataFrame with one row per running studio.

    Parameters
    ----------
    running_longer_than : str, timedelta or number of seconds
        The idle threshold ("8h", "90min", ``timedelta(hours=8)``), against the server's clock.
    dry_run : bool
        ``True`` (the default): decide and report, stop nothing.
    project_keys : optional
        Projects to look at (all when ``None``).
    exclude_owners, exclude_projects, exclude_templates : str or iterable of str, optional
        Never stopped (``skip``, the reason names the rule).
    unchanged_since : path, optional
        Stop only studios whose conflicts checks are the same as at the previous real run (fingerprints kept in
        this file).
    activity : ActivityLog or callable, optional
        Where every stop is recorded.
    who : str, optional
        The "who" of the activity entries (default: the client's login).
    wait : float or None
        Seconds to wait for each stop to finish (``None``: do not wait; the outcome is then "sent").
    pool_size : int, optional
        Concurrent reads.
    frame : DataFrame, optional
        A ``studios_frame`` read just before (not read again); its studios' statuses are still read again
        just before each stop.
    only : str or iterable of str, optional
        ``"PROJECT/id"`` keys: only these may be stopped; every other running studio is kept ("not among the
        chosen"). What a panel uses to stop exactly the studios its confirmation named.
    """
    threshold = parse_duration(running_longer_than)
    if not isinstance(dry_run, bool):
        raise ValueError("dry_run must be True or False")
    if wait is not None and (isinstance(wait, bool) or not isinstance(wait, (int, float)) or wait <= 0):
        raise ValueError("wait must be a positive number of seconds or None")
    owners, projects = _names(exclude_owners, "exclude_owners"), _names(exclude_projects, "exclude_projects")
    templates = _names(exclude_templates, "exclude_templates")
    record = recorder(activity)
    previous = read_fingerprints(unchanged_since) if unchanged_since is not None else None
    chosen_keys = _names(only, "only") if only is not None else None

    frame = client.studios_frame(project_keys, pool_size=pool_size, images=False) if frame is None else frame
    clock = ServerClock.of(client)
    running = [r for r in frame.to_dict("records") if r["state"] == "RUNNING" and r.get("id") and not r.get("error")]
    rows: list[dict[str, Any]] = []
    to_check = []
    for rec in running:
        row = {k: rec.get(k) for k in ("project_key", "id", "name", "owner", "template_id", "running_for")}
        row.update(unsynced_files=None, conflicts=None, decision="keep", reason="", outcome=None)
        rows.append(row)
        excluded = _exclusion(rec, owners, projects, templates)
        if excluded:
            row.update(decision="skip", reason=excluded)
        elif chosen_keys is not None and f"{rec['project_key']}/{rec['id']}" not in chosen_keys:
            row.update(reason="not among the chosen studios")
        elif pd.isna(rec["running_for"]):
            row.update(decision="skip", reason="running time unknown (DSS sent no time of the last state change)")
        elif previous is not None or rec["running_for"] > threshold:
            to_check.append(rec)  # fingerprints of every candidate, for the next run's comparison
        else:
            row["reason"] = f"running for {human(rec['running_for'])}, under {human(threshold)}"
    checks = check_studios(client, to_check, workers=pool_size, clock=clock)
    fingerprints: dict[str, str] = {}
    by_key = {(r["project_key"], r["id"]): r for r in rows}
    for rec in to_check:
        key = (rec["project_key"], rec["id"])
        check, row = checks[key], by_key[key]
        if check.fingerprint is not None:
            fingerprints[f"{key[0]}/{key[1]}"] = check.fingerprint
        _decide(row, rec, check, threshold, previous)

    if not dry_run:
        chosen = [(by_key[(r["project_key"], r["id"])], r) for r in to_check
                  if by_key[(r["project_key"], r["id"])]["decision"] == "stop"]
        _stop_all(client, chosen, checks, clock, record, who if who is not None else client.login, wait)
        if unchanged_since is not None:
            write_fingerprints(unchanged_since, fingerprints, clock.now())
    df = _policy_frame(rows, dry_run, threshold, clock)
    df.attrs["errors"] = list(frame.attrs.get("errors") or [])  # projects or studios that could not be read
    return df


def _exclusion(rec: Mapping[str, Any], owners: frozenset[str], projects: frozenset[str],
               templates: frozenset[str]) -> str | None:
    if rec.get("owner") in owners:
        return f"excluded: owner {rec['owner']}"
    if rec.get("project_key") in projects:
        return f"excluded: project {rec['project_key']}"
    if rec.get("template_id") in templates:
        return f"excluded: template {rec['template_id']}"
    return None


def _decide(row: dict[str, Any], rec: Mapping[str, Any], check: SyncCheck, threshold: timedelta,
            previous: Mapping[str, str] | None) -> None:
    row.update(unsynced_files=check.unsynced, conflicts=check.conflicts)
    ran = f"running for {human(rec['running_for'])}"
    if rec["running_for"] <= threshold:
        row.update(decision="keep", reason=f"{ran}, under {human(threshold)}")
    elif check.error is not None:
        row.update(decision="skip", reason=f"not stopped: {check.error}")
    elif check.conflicts:
        n = check.conflicts
        row.update(decision="skip", reason=f"not stopped: {n} conflicting file{'s' if n != 1 else ''} (a stop "
                                           "pulls the studio's version over DSS's changes): "
                                           + ", ".join(check.conflict_paths[:5]))
    elif previous is not None and f"{rec['project_key']}/{rec['id']}" not in previous:
        row.update(decision="keep", reason=f"{ran}; no previous run to compare with (kept this time)")
    elif previous is not None and previous[f"{rec['project_key']}/{rec['id']}"] != check.fingerprint:
        row.update(decision="keep", reason=f"{ran}; studio-side changes since the previous run")
    else:
        unchanged = "; unchanged since the previous run" if previous is not None else ""
        pulled = "" if not check.unsynced else f"; the stop pulls its {check.unsynced} unsynced file(s) into DSS"
        row.update(decision="stop", reason=f"{ran} (over {human(threshold)}), no conflicts{unchanged}{pulled}")


def recheck(client: Client, rec: Mapping[str, Any], before: SyncCheck, clock: ServerClock) -> str | None:
    """Why the studio must not be stopped after all (``None``: go ahead): read again just before the stop."""
    studio = client.get_project(rec["project_key"]).get_code_studio(rec["id"])
    try:
        status = studio.get_status().get_raw()
    except DSSError as err:
        return f"not stopped: could not read it again ({err})"
    if status.get("state") != "RUNNING" or to_ms(status.get("lastStateChange")) != to_ms(rec["last_state_change"]):
        return f"not stopped: its state changed since the decision (DSS now shows {status.get('state')})"
    zones = status.get("syncedZones")
    now = check_studio(client, rec["project_key"], rec["id"],
                       [assumptions.normalise_zone(z) for z in zones] if isinstance(zones, list) else [],
                       status.get("lastStateChange"), clock)
    if now.error is not None:
        return f"not stopped: {now.error}"
    if now.conflicts:
        return f"not stopped: {now.conflicts} conflicting file(s) appeared since the decision"
    if now.fingerprint != before.fingerprint:
        return "not stopped: studio-side changes since the decision"
    return None


def _stop_all(client: Client, chosen: list[tuple[dict[str, Any], Mapping[str, Any]]],
              checks: Mapping[tuple[str, str], SyncCheck], clock: ServerClock,
              record: Callable[[dict[str, Any]], None] | None, who: str | None, wait: float | None) -> None:
    """Send the stops (each once), then wait for them; record every stop sent."""
    sent: list[tuple[dict[str, Any], Future, float]] = []
    for row, rec in chosen:
        why_not = recheck(client, rec, checks[(rec["project_key"], rec["id"])], clock)
        if why_not is not None:
            row.update(decision="skip", reason=why_not)
            continue
        started = time.monotonic()
        studio = client.get_project(rec["project_key"]).get_code_studio(rec["id"])
        try:
            future = studio.stop()
        except DSSOutcomeUnknownError as err:
            _finish(row, record, who, "unknown", f"outcome unknown ({err}); DSS now shows {state_now(studio)}",
                    started)
            continue
        except DSSError as err:
            _finish(row, record, who, "failed", f"stop refused: {err}", started)
            continue
        if wait is None:
            _finish(row, record, who, "done", "stop sent (not waited for)", started, shown="sent")
        else:
            sent.append((row, future, started))
    deadline = time.monotonic() + (wait or 0)
    for row, future, started in sent:
        try:
            future.wait_for_result(timeout=max(deadline - time.monotonic(), 0.1))
        except DSSOutcomeUnknownError as err:
            _finish(row, record, who, "unknown", f"outcome unknown ({err})", started)
        except TimeoutError:
            _finish(row, record, who, "unknown", f"still stopping after {wait:g} s (the stop goes on in DSS)",
                    started)
        except DSSError as err:
            _finish(row, record, who, "failed", f"stop failed: {err}", started)
        else:
            _finish(row, record, who, "done", "stopped", started)


def state_now(studio: Any) -> str:
    try:
        return str(studio.get_status().get_raw().get("state"))
    except DSSError as err:
        return f"nothing readable ({err})"


def _finish(row: dict[str, Any], record: Callable[[dict[str, Any]], None] | None, who: str | None, outcome: str,
            detail: str, started: float, shown: str | None = None) -> None:
    """The row's outcome (``shown``, default the activity ``outcome``) and the activity entry of a stop sent."""
    row["outcome"] = shown or outcome
    row["reason"] = f"{row['reason']} -> {detail}"
    if record is not None:
        record({"what": "stop", "outcome": outcome, "who": who, "panel": "policy",
                "project_key": row["project_key"], "studio_id": row["id"], "studio": row["name"],
                "message": f"idle policy: {row['reason']}", "duration_s": round(time.monotonic() - started, 2)})


def _policy_frame(rows: list[dict[str, Any]], dry_run: bool, threshold: timedelta, clock: ServerClock) -> pd.DataFrame:
    data: dict[str, Any] = {}
    for col in POLICY_COLUMNS:
        values = [r.get(col) for r in rows]
        if col == "running_for":
            data[col] = pd.to_timedelta(pd.Series(values, dtype=object)).astype("timedelta64[ns]")
        elif col in ("unsynced_files", "conflicts"):
            data[col] = pd.Series(pd.array(values, dtype="Int64"))
        elif col == "decision":
            data[col] = pd.Series(pd.Categorical(values, categories=["stop", "keep", "skip"]))
        else:
            data[col] = text_series(values)
    df = pd.DataFrame(data, columns=list(POLICY_COLUMNS))
    df.attrs.update(dry_run=dry_run, threshold=threshold, server_time=clock.now(),
                    stopped=int((df["outcome"] == "done").sum()))
    return df
