"""The simulated DSS instance: users, projects, studios, templates, zone files, futures, time.

:class:`Model` is pure Python with no HTTP in it; the HTTP app and the simulator's helpers both
call it, and only it. It builds its parts and hands each one what it needs:

=====================  ============================================  ==============================
part                   owns                                          is given
=====================  ============================================  ==============================
``core``               lock, clock, rng, durations, event queue      --
``directory``          users, projects                               the lock
``futures``            every future, by job id                       --
``repo_store``         the DSS side of every zone                    the clock
``template_ops``       templates, container configurations           core, directory, futures
``studio_ops``         studios                                       core, directory, templates,
                                                                     futures, repo_store
``future_ops``         (the /futures endpoints)                      core, directory, futures
``files``              (the file helpers)                            core, studio_ops, repo_store
``project_git``        (the project git endpoints: diff, log)        core, directory, repo_store
``webapp_ops``         webapps (code-studio ones and others)         core, directory, futures
=====================  ============================================  ==============================

The methods below are the model's whole interface; each is served by the part that owns it.
The locking rule is :mod:`cswidgets.sim.model.core`'s: every public method takes ``lock`` and
first plays what fell due. Nothing here ever sleeps.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Mapping
from typing import Any

from .. import assumptions as A
from .clock import SimClock
from .core import Core, check_flag, check_sync_model
from .directory import Directory, Project
from .files import ZoneFiles
from .futures import FutureOps, FutureRegistry
from .library import ProjectLibrary
from .projectgit import ProjectGit
from .studios import Studio, StudioOps
from .templates import DEFAULT_PORTS, DEFAULT_ZONES, PortSpec, Template, TemplateOps, ZoneSpec
from .webapps import WebAppOps
from .zones import Repo, Repos


class Model:
    """The whole simulated instance (see the module docstring)."""

    def __init__(
        self,
        *,
        admin_key: str,
        seed: int = 0,
        speed: float = 1.0,
        epoch_ms: int | None = None,
        durations: Mapping[str, float] | None = None,
        sync_model: str = A.DEFAULT_SYNC_MODEL,
        consume_futures: bool = A.DEFAULT_CONSUME_FUTURES,
    ) -> None:
        self.core = Core(
            seed=seed,
            speed=speed,
            epoch_ms=epoch_ms,
            durations=durations,
            sync_model=sync_model,
            consume_futures=consume_futures,
        )
        self.directory = Directory(self.core.lock, admin_key)
        self.futures = FutureRegistry()
        self.repo_store = Repos(self.core.clock)
        self.template_ops = TemplateOps(self.core, self.directory, self.futures)
        self.studio_ops = StudioOps(
            self.core, self.directory, self.template_ops.by_id, self.futures, self.repo_store
        )
        self.future_ops = FutureOps(self.core, self.directory, self.futures)
        self.files = ZoneFiles(self.core, self.studio_ops, self.repo_store)
        self.project_git = ProjectGit(self.core, self.directory, self.repo_store)
        self.library = ProjectLibrary(self.core, self.directory, self.repo_store)
        self.webapp_ops = WebAppOps(self.core, self.directory, self.futures)

    # ---- state, for scenarios and tests (read under ``lock``) -----------------------------------

    @property
    def lock(self) -> threading.RLock:
        return self.core.lock

    @property
    def clock(self) -> SimClock:
        return self.core.clock

    @property
    def rng(self) -> random.Random:
        return self.core.rng

    @property
    def studios(self) -> dict[str, dict[str, Studio]]:
        """``{project key: {studio id: Studio}}``."""
        return self.studio_ops.by_project

    @property
    def templates(self) -> dict[str, Template]:
        return self.template_ops.by_id

    @property
    def repos(self) -> dict[tuple[str, ...], Repo]:
        return self.repo_store.by_ident

    @property
    def container_confs(self) -> list[str]:
        return self.template_ops.container_confs

    @container_confs.setter
    def container_confs(self, confs: list[str]) -> None:
        self.template_ops.container_confs = list(confs)

    def repo(self, studio: Studio, zone_key: str) -> Repo:
        return self.repo_store.repo(studio, zone_key)

    # ---- the open questions, as switches --------------------------------------------------------

    @property
    def sync_model(self) -> str:
        """``"merge"`` or ``"mirror"``: how a pull writes the DSS zone (``assumptions.SYNC_MODELS``)."""
        return self.core.sync_model

    @sync_model.setter
    def sync_model(self, value: str) -> None:
        with self.lock:
            self.core.sync_model = check_sync_model(value)

    @property
    def consume_futures(self) -> bool:
        """Whether the first non-peek read of a finished future takes it."""
        return self.core.consume_futures

    @consume_futures.setter
    def consume_futures(self, value: bool) -> None:
        with self.lock:
            self.core.consume_futures = check_flag(value, "consume_futures")

    # ---- time -----------------------------------------------------------------------------------

    def tick(self) -> int:
        return self.core.tick()

    def advance(self, seconds: float) -> int:
        return self.core.advance(seconds)

    # ---- users and projects ---------------------------------------------------------------------

    def add_user(self, login: str, key: str | None = None, admin: bool = False) -> str:
        return self.directory.add_user(login, key, admin)

    def login_for_key(self, key: str | None) -> str | None:
        return self.directory.login_for_key(key)

    def require_admin(self, login: str) -> None:
        self.directory.require_admin(login)

    def auth_info(self, login: str, with_secrets: bool = False) -> dict[str, Any]:
        return self.directory.auth_info(login, with_secrets)

    def keys(self) -> dict[str, str]:
        return self.directory.keys()

    def add_project(self, project_key: str, name: str | None = None, owner: str = "admin", *,
                    short_desc: str = "") -> Project:
        return self.directory.add_project(project_key, name or project_key, owner, short_desc)

    def project_keys(self) -> list[str]:
        with self.lock:
            return list(self.directory.projects)

    def list_projects(self) -> list[dict[str, Any]]:
        return self.directory.list_projects()

    def get_project(self, key: str) -> dict[str, Any]:
        return self.directory.get_project(key)

    # ---- code studios ---------------------------------------------------------------------------

    def studio(self, project_key: str, studio_id: str) -> Studio:
        return self.studio_ops.studio(project_key, studio_id)

    def studio_ids(self, project_key: str) -> list[str]:
        return self.studio_ops.studio_ids(project_key)

    def list_studios(self, project_key: str) -> list[dict[str, Any]]:
        return self.studio_ops.list_studios(project_key)

    def studio_settings(self, project_key: str, studio_id: str) -> dict[str, Any]:
        return self.studio_ops.studio_settings(project_key, studio_id)

    def studio_status(self, project_key: str, studio_id: str) -> dict[str, Any]:
        return self.studio_ops.studio_status(project_key, studio_id)

    def add_studio(
        self,
        project_key: str,
        name: str,
        owner: str,
        template_id: str,
        state: str = "STOPPED",
        *,
        studio_id: str | None = None,
    ) -> str:
        return self.studio_ops.add_studio(project_key, name, owner, template_id, state, studio_id)

    def create_studio(self, project_key: str, body: Any, login: str) -> dict[str, Any]:
        return self.studio_ops.create_studio(project_key, body, login)

    def delete_studio(self, project_key: str, studio_id: str, login: str) -> None:
        self.studio_ops.delete_studio(project_key, studio_id, login)

    def change_owner(self, project_key: str, studio_id: str, new_owner: str | None, login: str) -> dict[str, Any]:
        return self.studio_ops.change_owner(project_key, studio_id, new_owner, login)

    def restart(self, project_key: str, studio_id: str, login: str) -> dict[str, Any]:
        return self.studio_ops.restart(project_key, studio_id, login)

    def stop(self, project_key: str, studio_id: str, login: str) -> dict[str, Any]:
        return self.studio_ops.stop(project_key, studio_id, login)

    def set_state(self, project_key: str, studio_id: str, state: str, *, by: str = "admin") -> str | None:
        return self.studio_ops.set_state(project_key, studio_id, state, by)

    def conflicts(self, project_key: str, studio_id: str, zone: str, login: str) -> dict[str, Any]:
        return self.studio_ops.conflicts(project_key, studio_id, zone, login)

    def pull(self, project_key: str, studio_id: str, zone: str, login: str) -> dict[str, Any]:
        return self.studio_ops.pull(project_key, studio_id, zone, login)

    def push(self, project_key: str, studio_id: str, zone: str, login: str) -> dict[str, Any]:
        return self.studio_ops.push(project_key, studio_id, zone, login)

    # ---- zone files (helpers) -------------------------------------------------------------------

    def zone_ids(self, project_key: str, studio_id: str) -> dict[str, str]:
        return self.files.zone_ids(project_key, studio_id)

    def write_file(
        self,
        project_key: str,
        studio_id: str,
        zone_id: str,
        path: str,
        text: str,
        side: str = "studio",
        author: str = "alice",
    ) -> None:
        self.files.write_file(project_key, studio_id, zone_id, path, text, side, author)

    def delete_file(
        self, project_key: str, studio_id: str, zone_id: str, path: str, side: str = "studio", author: str = "alice"
    ) -> None:
        self.files.delete_file(project_key, studio_id, zone_id, path, side, author)

    def read_files(self, project_key: str, studio_id: str, zone_id: str, side: str = "studio") -> dict[str, str]:
        return self.files.read_files(project_key, studio_id, zone_id, side)

    def history(self, project_key: str, studio_id: str, zone_id: str) -> list[dict[str, Any]]:
        return self.files.history(project_key, studio_id, zone_id)

    # ---- project git ----------------------------------------------------------------------------

    def git_diff(self, project_key: str, commit_from: str | None, commit_to: str | None) -> dict[str, Any]:
        return self.project_git.diff(project_key, commit_from, commit_to)

    def git_log(
        self, project_key: str, path: str | None, start_commit: str | None, count: int | None
    ) -> dict[str, Any]:
        return self.project_git.log(project_key, path, start_commit, count)

    # ---- project library ------------------------------------------------------------------------

    def library_contents(self, project_key: str) -> list[dict[str, Any]]:
        return self.library.contents(project_key)

    def library_file(self, project_key: str, path: str, encoding: str | None = None) -> dict[str, str]:
        return self.library.read(project_key, path, encoding)

    # ---- templates ------------------------------------------------------------------------------

    def template_ids(self) -> list[str]:
        return self.template_ops.template_ids()

    def add_template(
        self,
        label: str,
        type: str = "block_based",
        *,
        template_id: str | None = None,
        zones: tuple[ZoneSpec, ...] = DEFAULT_ZONES,
        ports: tuple[PortSpec, ...] = DEFAULT_PORTS,
        container_confs: list[str] | None = None,
        description: str = "",
        owner: str = "admin",
    ) -> str:
        return self.template_ops.add_template(
            label,
            type,
            template_id=template_id,
            owner=owner,
            description=description,
            container_confs=container_confs,
            zones=zones,
            ports=ports,
        )

    def list_templates(self, login: str) -> list[dict[str, Any]]:
        return self.template_ops.list_templates(login)

    def template_settings(self, template_id: str, login: str) -> dict[str, Any]:
        return self.template_ops.template_settings(template_id, login)

    def save_template(self, template_id: str, body: Any, login: str) -> None:
        self.template_ops.save_template(template_id, body, login)

    def create_template(self, body: Any, login: str) -> dict[str, Any]:
        return self.template_ops.create_template(body, login)

    def delete_template(
        self, template_id: str, login: str, delete_runtime: bool = False, delete_images: bool = False
    ) -> dict[str, Any]:
        with self.core.lock:
            self.require_admin(login)
            self.template_ops.template(template_id)  # 404 before anything is stopped
            stopped = self.studio_ops.stop_runtimes_of(template_id, self.core.tick()) if delete_runtime else None
            return self.template_ops.delete_template(
                template_id, login, runtimes_stopped=stopped, delete_images=delete_images
            )

    def fail_next_build(self, template_id: str, message: str = "Docker build failed") -> None:
        self.template_ops.fail_next_build(template_id, message)

    def build_template(self, template_id: str, no_cache: bool, login: str) -> dict[str, Any]:
        return self.template_ops.build_template(template_id, no_cache, login)

    def export_template(self, template_id: str, login: str) -> bytes:
        return self.template_ops.export_template(template_id, login)

    def import_template(
        self, data: bytes, label: str | None, login: str, import_spec: str | None = None
    ) -> dict[str, Any]:
        return self.template_ops.import_template(data, label, login, import_spec)

    # ---- webapps --------------------------------------------------------------------------------

    def add_webapp(
        self,
        project_key: str,
        name: str,
        code_studio_id: str | None = None,
        running: bool = False,
        *,
        webapp_id: str | None = None,
        owner: str = "admin",
    ) -> str:
        return self.webapp_ops.add_webapp(project_key, name, code_studio_id, running, webapp_id, owner)

    def webapp_ids(self, project_key: str) -> list[str]:
        return self.webapp_ops.webapp_ids(project_key)

    def list_webapps(self, project_key: str) -> list[dict[str, Any]]:
        return self.webapp_ops.list_webapps(project_key)

    def webapp_settings(self, project_key: str, webapp_id: str) -> dict[str, Any]:
        return self.webapp_ops.webapp_settings(project_key, webapp_id)

    def webapp_backend_state(self, project_key: str, webapp_id: str) -> dict[str, Any]:
        return self.webapp_ops.backend_state(project_key, webapp_id)

    def stop_webapp_backend(self, project_key: str, webapp_id: str, login: str) -> None:
        self.webapp_ops.stop_backend(project_key, webapp_id, login)

    def restart_webapp_backend(self, project_key: str, webapp_id: str, login: str) -> dict[str, Any]:
        return self.webapp_ops.restart_backend(project_key, webapp_id, login)

    # ---- futures --------------------------------------------------------------------------------

    def get_future(self, job_id: str, peek: bool) -> tuple[int, dict[str, Any]]:
        return self.future_ops.get_future(job_id, peek)

    def abort_future(self, job_id: str, login: str) -> None:
        self.future_ops.abort_future(job_id, login)

    def list_futures(
        self, login: str, with_scenarios: bool, with_not_scenarios: bool, all_users: bool
    ) -> list[dict[str, Any]]:
        return self.future_ops.list_futures(login, with_scenarios, with_not_scenarios, all_users)
