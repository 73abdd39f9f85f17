"""Studios running an outdated image: a template's studios, per-template counts, and the restart of the outdated
running ones (``CodeStudioTemplate.list_studios``, ``studio_counts``, ``restart_outdated_studios``).

A studio runs an outdated image when its ``lastTemplateBuilt`` is older than its template's ``lastBuilt``
(``image_outdated``, :mod:`cswidgets.api.governance`): the template was rebuilt after the studio started. Only
a restart puts it on the new image.

:func:`restart_outdated` gives one row per RUNNING studio of the template (:data:`RESTART_COLUMNS`) with a
``decision``: ``restart`` (outdated, no conflict), ``keep`` (runs the current image) or ``skip`` (its image's
age is unknown, or it has conflicts: a restart stops the studio, and a stop pulls the studio's version of a
conflicting file over DSS's; or its conflicts could not be checked). A dry run by default; with
``dry_run=False`` each chosen studio is read again just before (as the idle policy does,
:func:`cswidgets.api.policy.recheck`), then restarted once (never retried; a lost answer is "unknown", with what
DSS now shows). Restarts are not waited for: each row's ``job_id`` names its task (``client.get_future(job_id)``,
for a progress bar or ``client.wait_all``; ``None`` when DSS answered an already completed one). Each restart
sent is recorded in ``activity`` like the policy's stops.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import pandas as pd

from .compat import text_series
from .errors import DSSError, DSSOutcomeUnknownError
from .governance import ServerClock, check_studios
from .policy import recheck, recorder, state_now

if TYPE_CHECKING:
    from .client import Client

__all__ = ["COUNT_COLUMNS", "RESTART_COLUMNS", "restart_outdated", "studio_counts", "template_studios"]

COUNT_COLUMNS = ("template_id", "template_label", "total", "running", "outdated", "outdated_running")
RESTART_COLUMNS = ("project_key", "id", "name", "owner", "running_for", "last_template_built", "decision",
                   "reason", "outcome", "job_id")


def template_studios(client: Client, template_id: str, frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """The ``studios_frame`` rows of the studios made from ``template_id`` (every project; ``frame``: rows read
    before, not read again). ``df.attrs["counts"]``: ``{"total", "running", "outdated", "outdated_running"}``."""
    frame = client.studios_frame() if frame is None else frame
    mine = frame[frame["template_id"] == template_id].reset_index(drop=True)
    mine.attrs = {**frame.attrs, "counts": _counts(mine)}
    return mine


def _counts(rows: pd.DataFrame) -> dict[str, int]:
    running = rows["state"] == "RUNNING"
    outdated = rows["image_outdated"].fillna(False).astype(bool)
    return {"total": len(rows), "running": int(running.sum()), "outdated": int(outdated.sum()),
            "outdated_running": int((outdated & running).sum())}


def studio_counts(frame: pd.DataFrame) -> pd.DataFrame:
    """Per template (one row each, by template id): how many studios it has, how many run, how many run an
    outdated image (``outdated_running``; ``outdated`` counts stopped ones too: their last run's image) --
    computed from a ``studios_frame`` (no request)."""
    rows = []
    for template_id, group in frame.groupby("template_id", sort=True, dropna=True):
        label = group["template_label"].dropna()
        rows.append({"template_id": template_id, "template_label": label.iloc[0] if len(label) else None,
                     **_counts(group)})
    data = {col: [r[col] for r in rows] for col in COUNT_COLUMNS}
    df = pd.DataFrame({col: text_series(data[col]) if col in ("template_id", "template_label")
                       else pd.Series(data[col], dtype="int64") for col in COUNT_COLUMNS}, columns=list(COUNT_COLUMNS))
    df.attrs["fetched_at"] = frame.attrs.get("fetched_at")
    return df


def restart_outdated(client: Client, template_id: str, *, dry_run: bool = True, frame: pd.DataFrame | None = None,
                     check_conflicts: bool = True, activity: Any = None, who: str | None = None,
                     pool_size: int | None = None, only: Iterable[str] | None = None) -> pd.DataFrame:
    """Restart the running studios of ``template_id`` that run an outdated image (see the module docstring).

    ``frame``: a ``studios_frame`` read before (with ``images=True``), else one is read; ``check_conflicts``:
    skip studios with conflicts (one check per two-way zone of each outdated studio; on by default);
    ``only``: ``"PROJECT/id"`` keys, the only studios that may be restarted (the others are kept, "not among
    the chosen"): what a panel uses to restart exactly the studios its offer named.
    """
    if not isinstance(dry_run, bool):
        raise ValueError("dry_run must be True or False")
    if isinstance(only, str) or (only is not None and not all(isinstance(k, str) for k in only)):
        raise ValueError(f"only must be a list of 'PROJECT/id' keys, not {only!r}")
    chosen_keys = None if only is None else frozenset(only)
    mine = template_studios(client, template_id, frame)
    clock = ServerClock.of(client)
    running = [r for r in mine.to_dict("records") if r["state"] == "RUNNING" and not r.get("error")]
    rows: list[dict[str, Any]] = []
    candidates = []
    for rec in running:
        row = {k: rec.get(k) for k in ("project_key", "id", "name", "owner", "running_for", "last_template_built")}
        row.update(decision="keep", reason="runs the template's current image", outcome=None)
        outdated = rec.get("image_outdated")
        if chosen_keys is not None and f"{rec['project_key']}/{rec['id']}" not in chosen_keys:
            row.update(reason="not among the chosen studios")
        elif outdated is pd.NA or outdated is None:
            row.update(decision="skip", reason="the age of its image is unknown (no build time from DSS)")
        elif outdated:
            row.update(decision="restart", reason="runs an image older than the template's last build")
            candidates.append(rec)
        rows.append(row)
    checks = check_studios(client, candidates, workers=pool_size, clock=clock) if check_conflicts else {}
    by_key = {(r["project_key"], r["id"]): r for r in rows}
    for key, check in checks.items():
        if check.error is not None:
            by_key[key].update(decision="skip", reason=f"not restarted: {check.error}")
        elif check.conflicts:
            by_key[key].update(decision="skip", reason=f"not restarted: {check.conflicts} conflicting file(s) (a "
                                                       "restart stops the studio, which pulls them over DSS's)")
    if not dry_run:
        record, who = recorder(activity), who if who is not None else client.login
        for rec in candidates:
            key = (rec["project_key"], rec["id"])
            if by_key[key]["decision"] == "restart":
                _restart_one(client, rec, by_key[key], checks.get(key), clock, record, who)
    return _restart_frame(rows, dry_run)


def _restart_one(client: Client, rec: dict[str, Any], row: dict[str, Any], check: Any, clock: ServerClock,
                 record: Any, who: str | None) -> None:
    if check is not None:
        why_not = recheck(client, rec, check, clock)
        if why_not is not None:
            row.update(decision="skip", reason=why_not.replace("not stopped", "not restarted"))
            return
    studio = client.get_project(rec["project_key"]).get_code_studio(rec["id"])
    started = time.monotonic()
    try:
        future = studio.restart()
    except DSSOutcomeUnknownError as err:
        outcome, detail, future = "unknown", f"outcome unknown ({err}); DSS now shows {state_now(studio)}", None
    except DSSError as err:
        outcome, detail, future = "failed", f"restart refused: {err}", None
    else:
        outcome, detail = "done", "restart sent"
    row["outcome"] = "sent" if future is not None else outcome
    row["job_id"] = future.job_id if future is not None else None
    row["reason"] = f"{row['reason']} -> {detail}"
    if record is not None:
        record({"what": "restart", "outcome": outcome, "who": who, "panel": "templates",
                "project_key": row["project_key"], "studio_id": row["id"], "studio": row["name"],
                "message": f"outdated image: {row['reason']}", "duration_s": round(time.monotonic() - started, 2)})


def _restart_frame(rows: Iterable[dict[str, Any]], dry_run: bool) -> pd.DataFrame:
    rows = list(rows)
    data: dict[str, Any] = {}
    for col in RESTART_COLUMNS:
        values = [r.get(col) for r in rows]
        if col == "running_for":
            data[col] = pd.to_timedelta(pd.Series(values, dtype=object)).astype("timedelta64[ns]")
        elif col == "last_template_built":
            data[col] = pd.to_datetime(pd.Series(values, dtype=object), utc=True).astype("datetime64[ns, UTC]")
        elif col == "decision":
            data[col] = pd.Series(pd.Categorical(values, categories=["restart", "keep", "skip"]))
        else:
            data[col] = text_series(values)
    df = pd.DataFrame(data, columns=list(RESTART_COLUMNS))
    df.attrs.update(dry_run=dry_run, chosen=[
        (r["project_key"], r["id"]) for r in rows if r["decision"] == "restart"])
    return df
