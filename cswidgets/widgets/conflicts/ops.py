"""The zone bookkeeping behind :class:`~cswidgets.widgets.conflicts.ConflictViewer`.

:class:`ZoneOps` is mixed into the viewer. It resolves zones against a fresh status, keeps the
``zones`` trait in step (all updates under ``self._lock``; work for a studio no longer shown is
dropped by comparing generations), refuses a second operation on a busy zone, and runs the
pull/push flow: check, ask for a confirmation when the rule says so, send once, check again.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from ...api.validate import check_id
from . import static
from .changes import DssSide, read_dss_side
from .zones import (
    CHANGES,
    DIRECTION,
    ConfirmationRequired,
    NotRunning,
    ZoneBusy,
    base_entry,
    checked_entry,
    dss_changed,
    human_size,
    normalise,
    resolve,
    summary_text,
    with_dss_side,
    zone_key,
)

# Zone checks run here, in parallel. Jobs on _WORK never wait on other _WORK jobs (no deadlock);
# the refresh that follows a start waits on checks, so it runs on FOLLOW_UP.
_WORK = ThreadPoolExecutor(max_workers=4, thread_name_prefix="cswidgets-conflicts")
FOLLOW_UP = ThreadPoolExecutor(max_workers=2, thread_name_prefix="cswidgets-conflicts-after")

STATE_MESSAGES = {
    "STOPPED": "The code studio is stopped: files are synced only while it runs (a start pushes DSS's "
               "files into it, a stop pulls its two-way zones back to DSS), so there is nothing to check "
               "or sync now.",
    "STARTING": "The code studio is starting: its zones appear once it runs (the start pushes DSS's files "
                "into it). Check again in a moment.",
    "STOPPING": "The code studio is stopping: its two-way zones were pulled back to DSS when the stop "
                "began. Nothing to sync now.",
}


class ZoneOps:
    """Zone state and operations; expects the viewer's traits (``zones``, ``studio_view``,
    ``checking``) and attributes (``_lock``, ``_gen``, ``_studio``, ``_inflight``, ``_full``,
    ``_known_ids``, ``_dss``, ``_name``, ``_starting``, ``_activity``)."""

    def _snapshot(self) -> tuple[Any, int]:
        with self._lock:
            return self._studio, self._gen

    def _label(self) -> str | None:
        s = self._studio
        return None if s is None else f"{s.project_key}/{s.id}"

    def _view(self, state: str | None, message: str | None = None) -> dict[str, Any]:
        s = self._studio
        if s is None:
            return {"message": "No code studio selected.", "running": False, "can_start": False}
        client = getattr(s, "client", None)
        return {
            "project_key": s.project_key, "id": s.id, "name": self._name or s.id, "state": state,
            "running": state == "RUNNING",
            "message": message or ("" if state == "RUNNING" else STATE_MESSAGES.get(
                state or "", f"The code studio is in state {state}: nothing to sync.")),
            "can_start": state == "STOPPED" and not self._starting,
            "simulator": bool(getattr(client, "is_simulator", False)),
        }

    def _apply_status(self, gen: int, status: Any, studio: Any) -> list[dict[str, Any]]:
        state = status.get_raw().get("state")
        zones = normalise(status.get_zones("objects")) if state == "RUNNING" else []
        name = self._name
        if name is None:
            try:
                name = studio.get_settings().name
            except Exception:  # the name is a nicety: the id is shown instead
                name = None
        with self._lock:
            if gen != self._gen:
                return zones
            self._name = name
            previous = {e["key"]: e for e in self.zones}
            entries = []
            for z in zones:
                key = zone_key(z)
                self._known_ids[z["id"]] = key
                prev = previous.get(key)
                if prev and prev["id"] != z["id"]:  # restarted: the old check says nothing now
                    prev = {"result": prev["result"], "busy": prev["busy"]}
                entries.append(base_entry(z, prev))
            self.zones = entries
            self.studio_view = self._view("STARTING" if self._starting and state == "STOPPED" else state)
        return zones

    def _put(self, gen: int, entry: dict[str, Any], **override: Any) -> None:
        with self._lock:
            if gen != self._gen:
                return
            zones = list(self.zones)
            for i, cur in enumerate(zones):
                if cur["key"] == entry["key"]:
                    zones[i] = {**entry, "busy": cur["busy"], "result": cur["result"], **override}
                    self.zones = zones
                    return

    def _patch(self, gen: int, key: str, **fields: Any) -> None:
        with self._lock:
            cur = next((e for e in self.zones if e["key"] == key), None)
            if cur is not None:
                self._put(gen, {**cur, **fields}, **fields)

    def _begin(self, gen: int, key: str, op: str, label: str) -> None:
        with self._lock:
            if gen != self._gen:
                raise RuntimeError("The viewer switched to another code studio: nothing was sent.")
            if key in self._inflight:
                raise ZoneBusy(f"A {self._inflight[key]} is already running on zone {label}: "
                               f"wait for it to finish (no {op} was sent).")
            self._inflight[key] = op
            self._patch(gen, key, busy=op)

    def _end(self, gen: int, key: str) -> None:
        with self._lock:
            if gen == self._gen:
                self._inflight.pop(key, None)
                self._patch(gen, key, busy=None)

    def _record(self, what: str, outcome: str, started: float, zone: str | None = None,
                detail: str | None = None) -> None:
        """One entry in the activity log (outcomes: done, failed, refused)."""
        s = self._studio
        ids = {} if s is None else {"project_key": s.project_key, "studio_id": s.id, "studio": self._name or s.id}
        self._activity.record(what, outcome, started=started, zone=zone, message=detail, **ids)

    def _refresh(self, record: bool) -> None:
        studio, gen = self._snapshot()
        if studio is None:
            return
        started = time.monotonic()
        with self._lock:
            if gen == self._gen:
                self.checking = True
        try:
            zones = self._apply_status(gen, studio.get_status(), studio)
            with self._lock:  # mark every idle zone as being checked, in one trait update
                todo = [z for z in zones if gen == self._gen and zone_key(z) not in self._inflight]
                self._inflight.update({zone_key(z): "check" for z in todo})
                if gen == self._gen:
                    self.zones = [{**e, "busy": "check"} if e["key"] in {zone_key(z) for z in todo} else e
                                  for e in self.zones]
            jobs = [_WORK.submit(self._check_zone, gen, studio, z) for z in todo]
            for job in jobs:
                job.result()
        except Exception as exc:
            if record:
                self._record("check all", "failed", started, detail=self._error_text(exc))
            raise
        finally:
            with self._lock:
                if gen == self._gen:
                    self.checking = False
        if record:
            self._record("check all", "done", started, detail=static.summary(self.studio_view, self.zones))

    def _check_zone(self, gen: int, studio: Any, zone: dict[str, Any], end: bool = True) -> dict[str, Any]:
        key = zone_key(zone)
        side: DssSide | None = None
        try:
            entry, full = checked_entry(zone, studio.check_conflicts(zone["id"]))
            if entry["status"] != "error":
                side = (read_dss_side(studio, zone, entry["commit_from_full"], entry["commit_to_full"])
                        if dss_changed(entry) else DssSide(True, versioned=entry["versioned"]))
                entry = with_dss_side(entry, side)
        except Exception as exc:  # shown on the zone itself
            entry, full = base_entry(zone), {c: [] for c in CHANGES}
            entry.update(status="error", error=self._error_text(exc))
        finally:
            if end:
                self._end(gen, key)
        with self._lock:
            if gen == self._gen:
                self._full[key] = full
                self._dss[key] = side
        self._put(gen, entry)
        return entry

    def _locate(self, studio: Any, gen: int, zone: str, what: str, started: float) -> tuple[dict[str, Any], str]:
        check_id(zone, "zone")  # malformed: a ValueError before anything is sent (or logged as activity)
        try:
            if studio is None:
                raise NotRunning("No code studio selected.")
            status = studio.get_status()
            zones = self._apply_status(gen, status, studio)
            state = status.get_raw().get("state")
            if state != "RUNNING":
                raise NotRunning(f"Code studio {self._label()} is {state}: zones exist only while it runs, "
                                 f"so there is nothing to {what.split()[0]}.")
            z = resolve(zone, zones, self._known_ids)
        except Exception as exc:
            self._record(what, "refused", started, str(zone), self._error_text(exc))
            raise
        return z, base_entry(z)["label"]

    def _sync(self, op: str, zone: str, *, force: bool = False, confirm: str | None = None,
              interactive: bool = False) -> dict[str, Any]:
        studio, gen = self._snapshot()
        started = time.monotonic()
        what = f"{op} ({DIRECTION[op]})"
        z, label = self._locate(studio, gen, zone, what, started)
        key = zone_key(z)
        try:
            if op == "pull" and z["oneWay"]:
                raise ValueError(f"Zone {label} is one-way ({DIRECTION['push']}): it cannot be pulled.")
            self._begin(gen, key, op, label)
        except Exception as exc:
            self._record(what, "refused", started, label, str(exc))
            raise
        try:
            entry = self._check_zone(gen, studio, z, end=False)
            if entry["status"] == "error":
                raise RuntimeError(f"Cannot {op} zone {label}: {entry['error']}")
            reason = entry["confirm"][op]
            if reason and not force and confirm != entry["fingerprint"]:
                self._record(what, "refused", started, label, f"Needs confirmation: {reason}")
                if interactive:
                    return {"outcome": "confirm", "zone": entry}
                raise ConfirmationRequired(f"{reason} Nothing was sent: call {op}(..., force=True) to go ahead.",
                                           entry, op, self._full.get(key))
            overwritten = ConfirmationRequired("", entry, op, self._full.get(key))
            if op == "pull":
                studio.pull_from_code_studio(z["id"])  # sent once: never retried
                answer: dict[str, Any] = {}
                text = f"Pulled {DIRECTION['pull']}."
            else:
                answer = studio.push_to_code_studio(z["id"]) or {}
                count = answer.get("count")
                files = f"{count} file{'s' if count != 1 else ''}" if isinstance(count, int) else "the files"
                text = f"Pushed {files} ({human_size(answer.get('size'))}) {DIRECTION['push']}."
            after = self._check_zone(gen, studio, z, end=False)
            text += f" Now: {summary_text(after)}."
            listed = [f"{c} {p}" for c in CHANGES for p in overwritten.files[c]]
            where = "DSS" if op == "pull" else "the code studio"
            detail = text + (f" May have overwritten in {where}: {'; '.join(listed)}." if listed else "")
            if op == "push" or not overwritten.complete:
                detail += " (Changes DSS cannot list may have been overwritten too.)"
            self._patch(gen, key, result={"op": op, "ok": True, "text": text})
            self._record(what, "done", started, label, detail)
            return {"outcome": "done", "op": op, "zone": key, "text": text, **answer, "after": after}
        except ConfirmationRequired:
            raise
        except Exception as exc:
            message = f"{op.capitalize()} of zone {label} failed: {self._error_text(exc)}"
            self._patch(gen, key, result={"op": op, "ok": False, "text": message})
            self._record(what, "failed", started, label, self._error_text(exc))
            raise RuntimeError(message) from exc
        finally:
            self._end(gen, key)
