"""Users (logins, API keys, admin flag) and projects: who may call, and what exists to call on."""

from __future__ import annotations

import hashlib
import hmac
import threading
from dataclasses import dataclass, field
from typing import Any

from .. import assumptions as A
from ..errors import SimError, bad_request


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


class Directory:
    """Users and projects, guarded by the model's ``lock``. The admin (login ``admin``) owns ``admin_key``."""

    def __init__(self, lock: threading.RLock, admin_key: str) -> None:
        self._lock = lock
        self._admin_key = admin_key
        self.users: dict[str, User] = {}
        self._key_to_login: dict[str, str] = {}
        self.projects: dict[str, Project] = {}
        self.add_user("admin", admin_key, admin=True)

    # ---- users ----------------------------------------------------------------------------------

    def add_user(self, login: str, key: str | None = None, admin: bool = False) -> str:
        """Add (or update) a user; the key defaults to :func:`user_key` ``(admin_key, login)``."""
        if not isinstance(login, str) or not login:
            raise bad_request("login must be a non-empty string")
        with self._lock:
            key = key if key is not None else user_key(self._admin_key, login)
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
        with self._lock:
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
        with self._lock:
            return {u.login: u.key for u in self.users.values()}

    # ---- projects -------------------------------------------------------------------------------

    def add_project(self, key: str, name: str, owner: str, short_desc: str = "") -> Project:
        with self._lock:
            if key in self.projects:
                raise bad_request(f"Project {key} already exists")
            project = self.projects[key] = Project(key, name, owner, short_desc)
            return project

    def project(self, key: str) -> Project:
        try:
            return self.projects[key]
        except KeyError:
            raise SimError(A.STATUS_UNKNOWN_PROJECT, A.ERR_UNAUTHORIZED, A.MSG_UNKNOWN_PROJECT) from None

    def list_projects(self) -> list[dict[str, Any]]:
        with self._lock:
            return [p.to_json() for p in self.projects.values()]

    def get_project(self, key: str) -> dict[str, Any]:
        with self._lock:
            return self.project(key).to_json()
