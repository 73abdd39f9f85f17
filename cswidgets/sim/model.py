"""The simulated DSS instance: users, projects, studios, templates, zone files, futures, time.

:class:`Model` is pure Python with no HTTP in it; the server and the :class:`~cswidgets.sim.Simulator`
helpers both call it. One re-entrant lock (``model.lock``) guards all of it; every public method
takes it, and :meth:`Model.tick` first plays the scheduled events whose simulated time has come
(state changes, build ends), so time-driven changes happen lazily, in order, and deterministically.
Nothing here ever sleeps.
"""

from __future__ import annotations

import hashlib
import heapq
import hmac
import itertools
import random
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from . import assumptions as A
from .clock import SimClock
from .errors import SimError, bad_request, conflict, not_found
from .futures import FutureOps, FutureRegistry
from .studios import Studio, StudioOps
from .templates import Template, TemplateOps
from .zones import Repo, StudioSide

#: Simulated durations in seconds (scaled by ``speed``); override with ``durations=``.
DEFAULT_DURATIONS: dict[str, float] = {"start": 8.0, "stop": 3.0, "build": 30.0}


@dataclass
class User:
    login: str
    key: str
    admin: bool = False


@dataclass
class Project:
    key: str
    name: str
    owner: str
    short_desc: str = ""
    tags: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "projectKey": self.key,
            "name": self.name,
            "owner": self.owner,
            "shortDesc": self.short_desc,
            "tags": list(self.tags),
        }



def user_key(admin_key: str, login: str) -> str:
    """The default API key of ``login``: 32 hex digits of HMAC-SHA256(admin key, login).

    Deterministic (same admin key and login, same key) yet one user's key reveals neither the admin's
    key nor another user's.
    """
    mac = hmac.new(admin_key.encode("utf-8"), b"cswidgets.sim user key\0" + login.encode("utf-8"), hashlib.sha256)
    return mac.hexdigest()[:32]

class Model(StudioOps, TemplateOps, FutureOps):
    """The whole simulated instance. See the module docstring for the locking rule."""

    def __init__(
        self,
        *,
        admin_key: str,
        seed: int = 0,
        speed: float = 1.0,
        epoch_ms: int | None = None,
        durations: Mapping[str, float] | None = None,
    ) -> None:
        unknown = set(durations or {}) - set(DEFAULT_DURATIONS)
        if unknown:
            raise TypeError(f"unknown durations: {sorted(unknown)}; known: {sorted(DEFAULT_DURATIONS)}")
        self.lock = threading.RLock()
        self.clock = SimClock(speed, epoch_ms)
        self.rng = random.Random(seed)
        self.admin_key = admin_key
        self.durations = {**DEFAULT_DURATIONS, **(durations or {})}
        self.users: dict[str, User] = {}
        self._key_to_login: dict[str, str] = {}
        self.projects: dict[str, Project] = {}
        self.studios: dict[str, dict[str, Studio]] = {}
        self.templates: dict[str, Template] = {}
        self.futures = FutureRegistry()
        self.repos: dict[tuple[str, ...], Repo] = {}
        self.container_confs: list[str] = ["k8s-default"]
        self._events: list[tuple[int, int, Callable[[int], None]]] = []
        self._seq = itertools.count()
        self.add_user("admin", admin_key, admin=True)

    # ---- time ------------------------------------------------------------------------------

    def duration_ms(self, name: str) -> int:
        return int(self.durations[name] * 1000)

    def schedule(self, time_ms: int, action: Callable[[int], None]) -> None:
        """Run ``action(time_ms)`` once simulated time reaches ``time_ms`` (call under the lock)."""
        heapq.heappush(self._events, (time_ms, next(self._seq), action))

    def tick(self) -> int:
        """Play every due event in time order; return the current simulated time."""
        with self.lock:
            now = self.clock.now_ms()
            while self._events and self._events[0][0] <= now:
                at, _, action = heapq.heappop(self._events)
                action(at)
            return now

    def advance(self, seconds: float) -> int:
        with self.lock:
            self.clock.advance(seconds)
            return self.tick()

    # ---- users and projects -----------------------------------------------------------------

    def add_user(self, login: str, key: str | None = None, admin: bool = False) -> str:
        """Add (or update) a user; the key defaults to :func:`user_key` ``(admin_key, login)``."""
        if not isinstance(login, str) or not login:
            raise bad_request("login must be a non-empty string")
        with self.lock:
            key = key if key is not None else user_key(self.admin_key, login)
            other = self._key_to_login.get(key)
            if other is not None and other != login:
                raise bad_request(f"key already used by {other!r}")
            old = self.users.get(login)
            if old is not None:
                self._key_to_login.pop(old.key, None)
            self.users[login] = User(login, key, admin)
            self._key_to_login[key] = login
            return key

    def login_for_key(self, key: str | None) -> str | None:
        if not key:
            return None
        with self.lock:
            return self._key_to_login.get(key)

    def is_admin(self, login: str | None) -> bool:
        user = self.users.get(login or "")
        return bool(user and user.admin)

    def require_admin(self, login: str) -> None:
        if not self.is_admin(login):
            raise SimError(A.STATUS_FORBIDDEN, A.ERR_UNAUTHORIZED, "Action forbidden: you are not admin")

    def auth_info(self, login: str, with_secrets: bool = False) -> dict[str, Any]:
        """``GET /auth/info`` for the user behind the calling key."""
        return A.auth_info(login, self.is_admin(login), with_secrets)

    def keys(self) -> dict[str, str]:
        with self.lock:
            return {u.login: u.key for u in self.users.values()}

    def add_project(self, key: str, name: str, owner: str, short_desc: str = "") -> Project:
        with self.lock:
            if key in self.projects:
                raise bad_request(f"Project {key} already exists")
            project = self.projects[key] = Project(key, name, owner, short_desc)
            self.studios[key] = {}
            return project

    def project(self, key: str) -> Project:
        try:
            return self.projects[key]
        except KeyError:
            raise SimError(A.STATUS_UNKNOWN_PROJECT, A.ERR_UNAUTHORIZED, A.MSG_UNKNOWN_PROJECT) from None

    def list_projects(self) -> list[dict[str, Any]]:
        with self.lock:
            return [p.to_json() for p in self.projects.values()]

    def get_project(self, key: str) -> dict[str, Any]:
        with self.lock:
            return self.project(key).to_json()

    # ---- zone files ---------------------------------------------------------------------------

    def repo(self, studio: Studio, zone_key: str) -> Repo:
        """The DSS side of ``zone_key`` as seen from ``studio`` (created empty on first use)."""
        scope = A.zone_scope(zone_key)
        ident: tuple[str, ...]
        if scope == "project":
            ident = ("project", studio.project_key, zone_key)
        elif scope == "studio":
            ident = ("studio", studio.project_key, studio.id, zone_key)
        else:
            ident = ("user", studio.owner, zone_key)
        repo = self.repos.get(ident)
        if repo is None:
            repo = self.repos[ident] = Repo("/".join(ident), "admin", self.clock.now_ms())
        return repo

    def zone_key(self, studio: Studio, zone: str) -> str:
        """Resolve a stable zone key or a current per-start zone id to the zone key."""
        if any(z.key == zone for z in studio.zones):
            return zone
        for key, zone_id in studio.zone_ids.items():
            if zone_id == zone:
                return key
        raise not_found(f"Zone {zone} not found in code studio {studio.id}")

    def zone_ids(self, project_key: str, studio_id: str) -> dict[str, str]:
        """``{zone key: current zone id}`` of a studio (empty unless RUNNING)."""
        with self.lock:
            self.tick()
            return dict(self.studio(project_key, studio_id).zone_ids)

    def _side(self, studio: Studio, key: str) -> StudioSide | None:
        return studio.sides.get(key) if studio.state == "RUNNING" else None

    def write_file(
        self,
        project_key: str,
        studio_id: str,
        zone: str,
        path: str,
        text: str,
        side: str = "studio",
        author: str = "admin",
    ) -> None:
        self._check_file_args(path, side, text)
        with self.lock:
            now = self.tick()
            studio = self.studio(project_key, studio_id)
            key = self.zone_key(studio, zone)
            if side == "dss":
                self.repo(studio, key).write(path, text, author, now)
                return
            target = self._side(studio, key)
            if target is None:
                raise conflict(f"Code studio {studio_id} is {studio.state}: its files exist only while RUNNING")
            target.files[path] = text

    def delete_file(
        self, project_key: str, studio_id: str, zone: str, path: str, side: str = "studio", author: str = "admin"
    ) -> None:
        self._check_file_args(path, side)
        with self.lock:
            now = self.tick()
            studio = self.studio(project_key, studio_id)
            key = self.zone_key(studio, zone)
            if side == "dss":
                if self.repo(studio, key).delete(path, author, now) is None:
                    raise not_found(f"No file {path} on the DSS side of zone {key}")
                return
            target = self._side(studio, key)
            if target is None:
                raise conflict(f"Code studio {studio_id} is {studio.state}: its files exist only while RUNNING")
            if target.files.pop(path, None) is None:
                raise not_found(f"No file {path} in the studio side of zone {key}")

    def read_files(self, project_key: str, studio_id: str, zone: str, side: str = "studio") -> dict[str, str]:
        self._check_file_args("x", side)
        with self.lock:
            self.tick()
            studio = self.studio(project_key, studio_id)
            key = self.zone_key(studio, zone)
            if side == "dss":
                return dict(self.repo(studio, key).head.files)
            target = self._side(studio, key)
            return dict(target.files) if target is not None else {}

    def history(self, project_key: str, studio_id: str, zone: str) -> list[dict[str, Any]]:
        with self.lock:
            self.tick()
            studio = self.studio(project_key, studio_id)
            repo = self.repo(studio, self.zone_key(studio, zone))
            return [{**c.to_json(), "files": dict(c.files)} for c in repo.commits]

    @staticmethod
    def _check_file_args(path: Any, side: Any, text: Any = "") -> None:
        if side not in ("studio", "dss"):
            raise bad_request(f"side must be 'studio' or 'dss', not {side!r}")
        if not isinstance(path, str) or not path:
            raise bad_request("path must be a non-empty string")
        if not isinstance(text, str):
            raise bad_request("text must be a string")
