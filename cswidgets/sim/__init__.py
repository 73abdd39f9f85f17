"""cswidgets.sim — an offline Dataiku DSS for Code Studios, templates and futures.

It serves the DSS public REST API (under ``/public/api`` and ``/dip/publicapi``) on 127.0.0.1,
well enough that the official ``dataikuapi`` client cannot tell it from a real DSS::

    from cswidgets.sim import Simulator
    import dataikuapi

    with Simulator(scenario="demo", api_key="k", seed=0, speed=50) as sim:
        client = dataikuapi.DSSClient(sim.url, "k")
        project = client.get_project("SALES_FORECAST")
        studio = project.list_code_studios(as_type="objects")[0]
        studio.restart().wait_for_result()

Public names
------------
:class:`Simulator`
    ``Simulator(scenario="demo"|"scale"|"empty", api_key="k", seed=0, latency_ms=0, speed=1.0,
    projects=None, studios=None, *, epoch_ms=None, durations=None, port=0, sync_model="merge",
    consume_futures=True)``; ``start()`` /
    ``stop()`` (idempotent) or ``with``; ``url``; ``model`` (the instance itself); helpers:
    ``keys`` / ``add_user``; ``add_project``, ``project_keys``, ``add_template``, ``add_studio``,
    ``studio_ids``, ``template_ids``, ``set_state``, ``status``, ``zone_ids``, ``fail_next_build``;
    files: ``write_file``, ``delete_file``, ``read_files``, ``history``; time: ``advance``,
    ``now_ms``, ``speed``; transport: ``latency_ms`` / ``set_latency``, ``set_faults``,
    ``clear_faults``, ``faults``, ``requests``, ``clear_requests``; ``health``; the open questions
    about DSS as switches: ``sync_model`` (``"merge"``: a pull applies the studio's changes and leaves
    DSS-only changes alone; ``"mirror"``: the studio's copy replaces the DSS zone) and
    ``consume_futures`` (the first non-peek read of a finished future takes it).
:class:`RemoteSimulator`
    ``RemoteSimulator(url, api_key)``: the same helpers over the HTTP control routes
    ``/__sim__/...`` of a simulator in another process.
:class:`SimulatorAPI`
    The helpers both share, defined once (:mod:`cswidgets.sim.protocol`).
:class:`SimError`
    Errors of the helpers (status + DSS error body).

Users and keys: ``api_key`` belongs to ``admin``; other users' keys are derived from it (HMAC-SHA256 of
the login keyed by ``api_key``, 32 hex digits: deterministic, revealing neither the admin's key nor
each other) -- read them from ``sim.keys`` (demo users: alice, bob, carol, dave). Every answer carries
``X-Cswidgets-Simulator: 1`` (``DSS-Version`` stays a realistic version), so clients can tell the
simulator from a real DSS with any key. Zones are named by a stable key — ``project-lib-versioned``,
``project-lib-resources``, ``recipes``, ``notebooks``, ``code_studio-versioned``,
``code_studio-resources``, ``user-versioned``, ``user-resources`` — or by their per-start zone id.
Resources zones keep no history (they are not versioned in DSS). The project git API
(``GET /projects/{key}/git/actions/diff`` and ``.../log``) is a view over the versioned zones' histories.
Every INFERRED/UNKNOWN choice about DSS lives in :mod:`cswidgets.sim.assumptions`.

Install: the simulator's web server is an extra, ``pip install "cswidgets[sim]"`` (Werkzeug and cheroot);
without it, importing :mod:`cswidgets.sim` raises an :class:`ImportError` that says so.

Command line: ``python -m cswidgets.sim --port PORT --api-key KEY --scenario demo [--sync-model merge|mirror]
[--consume-futures|--no-consume-futures]``.

Layout: :mod:`~cswidgets.sim.model` is the instance without HTTP (``Model`` composed of its parts:
directory of users and projects, studios, templates, futures, zone repositories, clock);
:mod:`~cswidgets.sim.http` serves it (``app``: routing and the DSS API routes; ``control``: the
helpers' operations and their ``/__sim__`` routes; ``httpd``: the cheroot server). Runs on Python 3.9+.
"""

from . import _requires  # noqa: F401  (first: an ImportError naming the extra without werkzeug/cheroot)
from .errors import SimError
from .faults import FaultConfig, RequestRecord
from .model import PortSpec, ZoneSpec
from .protocol import SimulatorAPI
from .remote import RemoteSimulator
from .simulator import Simulator

__all__ = [
    "FaultConfig",
    "PortSpec",
    "RemoteSimulator",
    "RequestRecord",
    "SimError",
    "Simulator",
    "SimulatorAPI",
    "ZoneSpec",
]
