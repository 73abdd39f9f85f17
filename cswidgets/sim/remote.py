""":class:`RemoteSimulator`: the helpers of a simulator that runs in another process (e.g.
``python -m cswidgets.sim``), through its HTTP control routes (:mod:`cswidgets.sim.http.control`)."""

from __future__ import annotations

from typing import Any

import requests

from .errors import SimError
from .protocol import SimulatorAPI


class RemoteSimulator(SimulatorAPI):
    """Drive a simulator running in another process with the same helpers as
    :class:`~cswidgets.sim.Simulator`; errors raise :class:`~cswidgets.sim.SimError` with the
    status and DSS error body the server sent. ``api_key`` is the simulator's admin key."""

    def __init__(self, url: str, api_key: str, timeout: float = 30.0) -> None:
        self.url = url.rstrip("/")
        self._session = requests.Session()
        self._session.auth = (api_key, "")
        self._timeout = timeout

    def __repr__(self) -> str:
        return f"<RemoteSimulator {self.url}>"

    def close(self) -> None:
        self._session.close()

    def __enter__(self) -> RemoteSimulator:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _control(self, operation: str, arguments: dict[str, Any]) -> Any:
        resp = self._session.post(f"{self.url}/__sim__/{operation}", json=arguments, timeout=self._timeout)
        try:
            data = resp.json()
        except ValueError:
            data = {"message": resp.text}
        if resp.status_code >= 400 or not isinstance(data, dict):
            data = data if isinstance(data, dict) else {}
            raise SimError(resp.status_code, data.get("errorType", "Unknown error"), data.get("message", ""))
        return data.get("result")
