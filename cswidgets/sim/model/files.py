"""Zone files as the simulator's helpers see them: write, delete and read either side of a zone,
read its DSS-side history. (Over the DSS API, zones move only through push, pull and conflicts:
:mod:`cswidgets.sim.model.studios`.)"""

from __future__ import annotations

from typing import Any

from ..errors import bad_request, conflict, not_found
from .core import Core
from .studios import Studio, StudioOps
from .zones import Repos, StudioSide


class ZoneFiles:
    """File helpers over the studios (to find a zone) and the zone repositories (the DSS side)."""

    def __init__(self, core: Core, studios: StudioOps, repos: Repos) -> None:
        self._core = core
        self._studios = studios
        self._repos = repos

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
        with self._core.lock:
            self._core.tick()
            return dict(self._studios.studio(project_key, studio_id).zone_ids)

    @staticmethod
    def _side(studio: Studio, key: str) -> StudioSide | None:
        return studio.sides.get(key) if studio.state == "RUNNING" else None

    def _running_side(self, studio: Studio, key: str) -> StudioSide:
        side = self._side(studio, key)
        if side is None:
            raise conflict(f"Code studio {studio.id} is {studio.state}: its files exist only while RUNNING")
        return side

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
        _check_file_args(path, side, text)
        with self._core.lock:
            now = self._core.tick()
            studio = self._studios.studio(project_key, studio_id)
            key = self.zone_key(studio, zone)
            if side == "dss":
                self._repos.repo(studio, key).write(path, text, author, now)
            else:
                self._running_side(studio, key).files[path] = text

    def delete_file(
        self, project_key: str, studio_id: str, zone: str, path: str, side: str = "studio", author: str = "admin"
    ) -> None:
        _check_file_args(path, side)
        with self._core.lock:
            now = self._core.tick()
            studio = self._studios.studio(project_key, studio_id)
            key = self.zone_key(studio, zone)
            if side == "dss":
                if self._repos.repo(studio, key).delete(path, author, now) is None:
                    raise not_found(f"No file {path} on the DSS side of zone {key}")
            elif self._running_side(studio, key).files.pop(path, None) is None:
                raise not_found(f"No file {path} in the studio side of zone {key}")

    def read_files(self, project_key: str, studio_id: str, zone: str, side: str = "studio") -> dict[str, str]:
        _check_file_args("x", side)
        with self._core.lock:
            self._core.tick()
            studio = self._studios.studio(project_key, studio_id)
            key = self.zone_key(studio, zone)
            if side == "dss":
                return dict(self._repos.repo(studio, key).head.files)
            target = self._side(studio, key)
            return dict(target.files) if target is not None else {}

    def history(self, project_key: str, studio_id: str, zone: str) -> list[dict[str, Any]]:
        with self._core.lock:
            self._core.tick()
            studio = self._studios.studio(project_key, studio_id)
            repo = self._repos.repo(studio, self.zone_key(studio, zone))
            return [{**c.to_json(), "files": dict(c.files)} for c in repo.commits]


def _check_file_args(path: Any, side: Any, text: Any = "") -> None:
    if side not in ("studio", "dss"):
        raise bad_request(f"side must be 'studio' or 'dss', not {side!r}")
    if not isinstance(path, str) or not path:
        raise bad_request("path must be a non-empty string")
    if not isinstance(text, str):
        raise bad_request("text must be a string")
