"""A simulated DSS where every field DSS controls holds a hostile string, and the panels built on it.

Fields placed through the simulator: studio names, owners, template labels, zone keys (hence zone
ids and paths in the container), file paths, commit authors, build failure messages, and error
messages that echo DSS text (a refused stop names the owner; a refused pull names the zone).
Exposed URLs are made by the simulator from the project, studio id and port (always a relative
http path), so hostile URLs (``javascript:``...) and a row-level ``error`` reach the StudioTable
through :class:`FrameClient`, a stand-in client returning a ``studios_frame``-shaped DataFrame.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from cswidgets.api.frames import STUDIO_COLUMNS
from tests.hardening.xss_corpus import PAYLOADS, URL_PAYLOADS

PROJECT = "XSS"
VICTIM_PROJECT = "XSSCONF"
N_VICTIM_ZONES = 4


@dataclass
class World:
    """Ids of what :func:`build` created."""

    studios: list[str] = field(default_factory=list)  # one per payload, name = owner = label = payload
    templates: list[str] = field(default_factory=list)
    victim: str = ""  # a running studio whose zones and files are hostile
    victim_zone_keys: list[str] = field(default_factory=list)
    failing_template: str = ""
    failing_message: str = ""


def build(sim: Any) -> World:
    """Fill ``sim`` with hostile data (see the module docstring)."""
    w = World()
    sim.add_project(PROJECT)
    sim.add_project(VICTIM_PROJECT)
    for i, payload in enumerate(PAYLOADS):
        tid = sim.add_template(payload, zones=[("project-lib-versioned", False), (payload, i % 2 == 1)])
        w.templates.append(tid)
        state = "RUNNING" if i % 3 == 0 else "STOPPED"
        w.studios.append(sim.add_studio(PROJECT, payload, payload, tid, state=state))
    # The conflict viewer's studio: hostile zone keys (ids, paths), file paths, authors.
    keys = [PAYLOADS[i] for i in range(N_VICTIM_ZONES)]
    tpl = sim.add_template(PAYLOADS[-1], zones=[(k, i == N_VICTIM_ZONES - 1) for i, k in enumerate(keys)])
    w.victim = sim.add_studio(VICTIM_PROJECT, PAYLOADS[-2], PAYLOADS[-3], tpl, state="RUNNING")
    w.victim_zone_keys = keys
    for j, payload in enumerate(PAYLOADS):
        zone = keys[j % (N_VICTIM_ZONES - 1)]  # two-way zones only: conflicts need both sides
        path = f"{payload}/{j}.py"
        sim.write_file(VICTIM_PROJECT, w.victim, zone, path, f"studio {j}", side="studio")
        sim.write_file(VICTIM_PROJECT, w.victim, zone, path, f"dss {j}", side="dss", author=PAYLOADS[-1 - j])
    w.failing_template = w.templates[0]
    w.failing_message = " | ".join(PAYLOADS[:12])
    return w


class FrameClient:
    """Stand-in client whose ``studios_frame`` holds every payload in every column, hostile exposed
    URLs, and a row-level error (what the simulator cannot produce)."""

    is_simulator = True

    def __init__(self) -> None:
        self.frame = hostile_frame()

    def studios_frame(self, project_keys: Any = None) -> pd.DataFrame:
        return self.frame


def hostile_frame() -> pd.DataFrame:
    records = []
    for i, payload in enumerate(PAYLOADS):
        records.append({
            "project_key": "XSS", "id": f"s{i:03d}", "name": payload, "owner": payload,
            "template_id": f"t{i}", "template_label": payload, "state": "RUNNING",
            "last_state_change": 1_700_000_000_000 + i,
            "zones": [{"id": f"z{i}", "zone": payload, "pathInContainer": f"/w/{payload}", "oneWay": False}],
            "exposed": list(URL_PAYLOADS) if i == 0 else [URL_PAYLOADS[i % len(URL_PAYLOADS)]],
            "error": payload,
        })
    df = pd.DataFrame.from_records(records, columns=list(STUDIO_COLUMNS))
    df["last_state_change"] = pd.to_datetime(df["last_state_change"], unit="ms", utc=True)
    df["state"] = pd.Categorical(df["state"], categories=["STOPPED", "STARTING", "RUNNING", "STOPPING", "UNKNOWN"])
    df.attrs["errors"] = [{"project_key": "XSS", "id": f"s{i:03d}", "error": p} for i, p in enumerate(PAYLOADS[:5])]
    return df
