"""The administrator's columns of ``studios_frame``: how long each studio has run, whether it runs an outdated
image, and how many of its files DSS does not have yet (no widget code).

=====================  ==========================================================================================
last_template_built    ``datetime64[ns, UTC]``: the build of the image the studio started on (the status'
                       ``lastTemplateBuilt``, docs/dss-api.md §3.4; ``NaT`` when DSS sends none)
running_for            ``timedelta64[ns]`` while RUNNING (``NaT`` otherwise): the server's time now minus
                       ``lastStateChange``. The server's time is its answers' ``Date`` header (whole seconds,
                       ``assumptions.server_time``), the clock that stamped ``lastStateChange``; the client's
                       clock only when no answer carried one. ``df.attrs["server_time"]`` holds it.
image_outdated         nullable ``boolean``: ``True`` when ``last_template_built`` is older than the template's
                       ``lastBuilt`` (``GET /admin/code-studios/``, one request), ``False`` when not, missing
                       (``<NA>``) when either is unknown -- a key that may not read templates (non-admins: 403)
                       leaves the column missing, never an error (``df.attrs["images_unknown"]`` says why).
unsynced_files         nullable ``Int64``, only with ``unsynced=True`` and for RUNNING studios: the files changed
                       in the studio since the last sync -- conflicts included -- summed over its two-way zones,
                       from one conflicts check per zone (``check_conflicts``). Where DSS's answer has no count
                       of changes (UNKNOWN, ``assumptions.studio_change_count``) only the conflicting files are
                       counted (a lower bound; ``df.attrs["unsynced_partial"]`` lists those studios). Missing
                       when a check failed (``df.attrs["unsynced_errors"]``). One-way zones are not checked: DSS
                       never copies their studio-side changes back.
unsynced_read_at       ``datetime64[ns, UTC]``: when ``unsynced_files`` was read (server time)
=====================  ==========================================================================================

``df.attrs["template_builds"]`` (when the templates were read): ``{template id: lastBuilt ms or None}``, the
builds ``image_outdated`` was decided against (the panels name them).

:func:`check_studios` is the conflicts reading itself, also used by the idle policy
(:mod:`cswidgets.api.policy`) and the restart of outdated studios (:mod:`cswidgets.api.outdated`): per studio,
the unsynced count, the conflicting files and a *fingerprint* of what the checks saw (lastStateChange, and per
zone its stable name, ``commitFrom``, the counts and the conflicting paths): two runs with the same fingerprint
saw no studio-side change that DSS reports. It cannot see a second edit of a file already counted as changed
(the counts and lists stay the same): "unchanged" means "nothing DSS reports changed".
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

from . import assumptions
from .errors import DSSError
from .times import ms_to_datetime, to_ms

if TYPE_CHECKING:
    from .client import Client

__all__ = ["ADMIN_COLUMNS", "ServerClock", "SyncCheck", "check_studios", "fill_admin_columns", "template_builds"]

#: The columns this module fills, in ``studios_frame``'s order.
ADMIN_COLUMNS = ("last_template_built", "running_for", "image_outdated", "unsynced_files", "unsynced_read_at")


@dataclass(frozen=True)
class ServerClock:
    """The server's time as the client estimates it: the client's clock plus ``offset``, measured from the
    ``Date`` header of the last answer (``source`` says ``"server"``, or ``"client"`` when there was none)."""

    offset: timedelta
    source: str

    @classmethod
    def of(cls, client: Client) -> ServerClock:
        """From the last answer ``client`` received (call it right after a read)."""
        told = assumptions.server_time(client._transport.last_headers)
        if told is None:
            return cls(timedelta(0), "client")
        return cls(told - datetime.now(timezone.utc), "server")  # to the second: running times are rounded to it

    def now(self) -> datetime:
        return datetime.now(timezone.utc) + self.offset


@dataclass(frozen=True)
class SyncCheck:
    """What one studio's conflicts checks said (see the module docstring)."""

    unsynced: int | None  # files changed in the studio, not in DSS (conflicts included); None: a check failed
    conflicts: int | None  # conflicting files; None: a check failed
    complete: bool  # every zone's answer had the count of changes (else ``unsynced`` counts the conflicts only)
    fingerprint: str | None
    read_at: datetime
    error: str | None = None
    conflict_paths: tuple[str, ...] = field(default=())


def _two_way(zones: Any) -> list[Mapping[str, Any]]:
    zones = zones if isinstance(zones, list) else []
    return [z for z in zones if isinstance(z, Mapping) and z.get("id") and z.get("oneWay") is not True]


def check_studio(client: Client, project_key: str, studio_id: str, zones: Any, last_state_change: Any,
                 clock: ServerClock) -> SyncCheck:
    """The conflicts checks of one running studio's two-way zones (``zones``: its ``syncedZones``, normalised
    as ``studios_frame``'s ``zone_details`` column). Never raises for a refused or failed check: ``error`` says it."""
    studio = client.get_project(project_key).get_code_studio(studio_id)
    unsynced = conflicts = 0
    complete = True
    seen: list[Any] = [to_ms(last_state_change)]
    paths: list[str] = []
    try:
        for zone in _two_way(zones):
            answer = studio.check_conflicts(zone["id"])
            if answer.is_error:
                raise DSSError(f"zone {zone.get('zone') or zone['id']}: {answer.error}")
            entry = answer.get_raw().get(zone["id"])
            listed = [*answer.added, *answer.modified, *answer.deleted]
            count = assumptions.studio_change_count(entry)
            complete = complete and count is not None
            unsynced += count if count is not None else len(listed)
            conflicts += len(listed)
            paths += [f"{zone.get('zone') or zone['id']}/{p}" for p in listed]
            commit = entry.get("commitFrom") if isinstance(entry, Mapping) else None
            seen.append([zone.get("zone"), zone.get("pathInContainer"), commit, count, sorted(map(str, listed))])
    except (DSSError, ValueError) as err:
        return SyncCheck(None, None, False, None, clock.now(), f"could not check the conflicts: {err}")
    digest = hashlib.sha256(json.dumps(seen, sort_keys=True, default=str).encode("utf-8")).hexdigest()[:32]
    return SyncCheck(unsynced, conflicts, complete, digest, clock.now(), None, tuple(sorted(paths)))


def check_studios(client: Client, rows: Iterable[Mapping[str, Any]], *, workers: int | None = None,
                  clock: ServerClock | None = None) -> dict[tuple[str, str], SyncCheck]:
    """:func:`check_studio` for each row (``studios_frame`` records: ``project_key, id, zone_details,
    last_state_change``) through one bounded pool (``workers``, default the client's ``pool_size``).
    ``{(project_key, id): SyncCheck}``."""
    rows = list(rows)
    clock = clock or ServerClock.of(client)
    if not rows:
        return {}
    with ThreadPoolExecutor(max_workers=workers or client.pool_size, thread_name_prefix="cswidgets-sync") as pool:
        futures = {
            (r["project_key"], r["id"]): pool.submit(check_studio, client, r["project_key"], r["id"],
                                                     r.get("zone_details"), r.get("last_state_change"), clock)
            for r in rows
        }
        return {key: fut.result() for key, fut in futures.items()}


def template_builds(client: Client) -> tuple[dict[str, int | None] | None, str | None]:
    """``({template id: lastBuilt ms or None}, None)``, or ``(None, why)`` when the templates cannot be read
    (a non-admin's 403 among others): one request."""
    try:
        items = client.list_code_studio_templates()
    except DSSError as err:
        return None, str(err)
    builds: dict[str, int | None] = {}
    for item in items:
        raw = item.get_raw()
        if isinstance(raw.get("id"), str):
            builds[raw["id"]] = to_ms(raw.get("lastBuilt"))
    return builds, None


def whole_seconds(delta: timedelta) -> timedelta:
    """``delta`` to the nearest second: the server's clock is known to the second (its Date header)."""
    return timedelta(seconds=round(delta.total_seconds()))


def is_outdated(image_built: Any, template_built: Any) -> bool | None:
    """``True`` when the image (ms) is older than the template's last build (ms); ``None`` if either is unknown."""
    image, template = to_ms(image_built), to_ms(template_built)
    if image is None or template is None:
        return None
    return image < template


def _key(row: Mapping[str, Any]) -> tuple[str, str] | None:
    """``(project_key, id)`` of a row, or ``None`` when the server sent something else than text there."""
    pk, sid = row.get("project_key"), row.get("id")
    return (pk, sid) if isinstance(pk, str) and isinstance(sid, str) and sid else None


def fill_admin_columns(client: Client, rows: list[dict[str, Any]], *, images: bool, unsynced: bool,
                       workers: int) -> dict[str, Any]:
    """Fill :data:`ADMIN_COLUMNS` on ``studios_frame``'s row dicts (``last_template_built`` is already there, raw
    from the status); returns the frame's extra ``attrs``."""
    clock = ServerClock.of(client)
    now = clock.now()
    attrs: dict[str, Any] = {"server_time": now, "server_time_source": clock.source}
    builds, why = template_builds(client) if images and any(r.get("last_template_built") for r in rows) else ({}, None)
    if why is not None:
        attrs["images_unknown"] = why
    elif builds:
        attrs["template_builds"] = dict(builds)  # {template id: lastBuilt ms}: what "outdated" was compared with
    running = [r for r in rows if r.get("state") == "RUNNING" and r.get("error") is None and _key(r)]
    checks = check_studios(client, running, workers=workers, clock=clock) if unsynced else {}
    errors, partial = [], []
    for row in rows:
        started = ms_to_datetime(row.get("last_state_change"))
        row["running_for"] = whole_seconds(now - started) if row.get("state") == "RUNNING" and started else None
        template_id = row.get("template_id")
        template = builds.get(template_id) if builds and isinstance(template_id, str) else None
        row["image_outdated"] = is_outdated(row.get("last_template_built"), template) if builds else None
        check = checks.get(_key(row))
        row["unsynced_files"] = check.unsynced if check else None
        row["unsynced_read_at"] = to_ms(check.read_at) if check else None
        if check and check.error:
            errors.append({"project_key": row["project_key"], "id": row["id"], "error": check.error})
        elif check and not check.complete:
            partial.append((row["project_key"], row["id"]))
    if unsynced:
        attrs["unsynced_errors"], attrs["unsynced_partial"] = errors, partial
    return attrs
