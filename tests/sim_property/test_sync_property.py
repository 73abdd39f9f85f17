"""No file content is ever lost without a confirmed overwrite.

Random sequences of edits on both sides of two zones (one two-way, one one-way), pulls and pushes
through :class:`ConflictViewer` (each one either confirmed or not when the viewer asks), checks,
stops and starts run against the simulator and a reference model of what a sync does, under every
combination of the simulator's open questions (sync model merge or mirror, futures consumed or kept):

- the simulator's files, on both sides, always equal the model's (the viewer sent exactly the
  operations the model expects: nothing when it asked for a confirmation that was not given);
- every version DSS ever held is still in the simulator's DSS history;
- every content ever written (either side) is still somewhere -- in the code studio, or in the
  DSS history -- unless it was overwritten by a push the user confirmed after the viewer asked,
  the user edited it again in the code studio, or it sat in a one-way zone when the studio
  stopped (DSS documents that a stop discards what was not synced back, and one-way zones are
  never synced back);
- the conflicts the viewer shows are the files the model says changed on both sides.
"""

from __future__ import annotations

import itertools

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from cswidgets.api import connect
from cswidgets.sim import Simulator
from cswidgets.widgets.conflicts import ConfirmationRequired, ConflictViewer, NotRunning

from .conftest import LONG

KEY = "k"
TWO_WAY, ONE_WAY = "project-lib-versioned", "project-lib-resources"
ZONES = (TWO_WAY, ONE_WAY)
PATHS = ("a.py", "b.py", "lib/c.py")
SIM: dict[str, object] = {}
_projects = itertools.count(1)
_texts = itertools.count(1)


def setup_module():
    SIM["sim"] = sim = Simulator(scenario="empty", api_key=KEY, seed=0, speed=2000).start()
    SIM["client"] = connect(sim.url, KEY)
    sim.add_template("Property", template_id="tpl_prop", zones=[(TWO_WAY, False), (ONE_WAY, True)])


def teardown_module():
    SIM["client"].close()
    SIM["sim"].stop()


class ZoneModel:
    """Both sides of one zone and the sync point (DSS's files and the studio's at the last sync)."""

    def __init__(self, one_way: bool, sync_model: str):
        self.one_way = one_way
        self.sync_model = sync_model
        self.dss: dict[str, str] = {}
        self.dss_seen: set[tuple[str, str]] = set()  # every (path, text) DSS ever held
        self.studio: dict[str, str] | None = None
        self.base: dict[str, str] = {}
        self.studio_base: dict[str, str] = {}
        self.dss_moved = False  # DSS committed since the last sync

    def sync_to_studio(self):
        self.studio, self.base, self.studio_base, self.dss_moved = dict(self.dss), dict(self.dss), dict(self.dss), False

    def sync_to_dss(self):
        studio = self.studio or {}
        if self.sync_model == "mirror":
            new = dict(studio)
        else:  # merge: the studio's changes since the sync point, DSS-only changes kept
            new = dict(self.dss)
            for path in set(studio) | set(self.studio_base):
                if studio.get(path) != self.studio_base.get(path):
                    if path in studio:
                        new[path] = studio[path]
                    else:
                        new.pop(path, None)
        if new != self.dss:
            self.dss = new
            self.dss_seen |= set(self.dss.items())
        self.base, self.studio_base, self.dss_moved = dict(self.dss), dict(studio), False

    def conflicts(self) -> set[tuple[str, str]]:
        studio, base, dss, sbase = self.studio or {}, self.base, self.dss, self.studio_base
        out = set()
        for path in set(studio) | set(sbase):
            if studio.get(path) == sbase.get(path) or dss.get(path) == base.get(path):
                continue  # unchanged on one side
            if studio.get(path) == dss.get(path):
                continue  # same change on both sides
            change = "added" if path not in sbase else "deleted" if path not in studio else "modified"
            out.add((change, path))
        return out


class SyncMachine(RuleBasedStateMachine):
    SYNC_MODEL = "merge"
    CONSUME_FUTURES = True

    @initialize()
    def create(self):
        self.sim, client = SIM["sim"], SIM["client"]
        self.sim.sync_model, self.sim.consume_futures = self.SYNC_MODEL, self.CONSUME_FUTURES
        self.pk = self.sim.add_project(f"PROP{next(_projects)}")
        self.sid = self.sim.add_studio(self.pk, "prop", "admin", "tpl_prop", state="STOPPED")
        self.studio = client.get_project(self.pk).get_code_studio(self.sid)
        self.model = {z: ZoneModel(z == ONE_WAY, self.SYNC_MODEL) for z in ZONES}
        self.written: set[tuple[str, str, str]] = set()  # (zone, path, text) ever written
        self.allowed_loss: set[tuple[str, str, str]] = set()
        self.running = False
        self.viewer = ConflictViewer(self.studio)
        self.last_ids: dict[str, str] = {}

    # -- edits -------------------------------------------------------------------------------
    @precondition(lambda self: self.running)
    @rule(zone=st.sampled_from(ZONES), path=st.sampled_from(PATHS), delete=st.booleans())
    def edit_studio(self, zone, path, delete):
        m = self.model[zone]
        if path in m.studio and (path, m.studio[path]) not in m.dss_seen:  # the user replaces their own work
            self.allowed_loss.add((zone, path, m.studio[path]))
        if delete:
            if path in m.studio:
                self.sim.delete_file(self.pk, self.sid, zone, path, side="studio")
                del m.studio[path]
            return
        text = f"studio-{next(_texts)}"
        self.sim.write_file(self.pk, self.sid, zone, path, text, side="studio")
        m.studio[path] = text
        self.written.add((zone, path, text))

    @rule(zone=st.sampled_from(ZONES), path=st.sampled_from(PATHS), delete=st.booleans())
    def edit_dss(self, zone, path, delete):
        m = self.model[zone]
        if zone != TWO_WAY and path in m.dss:  # a resources zone keeps no history: DSS's own edit replaces it
            self.allowed_loss.add((zone, path, m.dss[path]))
        if delete:
            if path in m.dss:
                self.sim.delete_file(self.pk, self.sid, zone, path, side="dss", author="bob")
                del m.dss[path]
                m.dss_moved = True
            return
        text = f"dss-{next(_texts)}"
        self.sim.write_file(self.pk, self.sid, zone, path, text, side="dss", author="bob")
        m.dss[path] = text
        m.dss_seen.add((path, text))
        m.dss_moved = True
        self.written.add((zone, path, text))

    # -- the viewer --------------------------------------------------------------------------
    def _zone_ref(self, zone, stale):
        return self.last_ids.get(zone, zone) if stale else zone

    @rule(zone=st.sampled_from(ZONES), confirm=st.booleans(), stale=st.booleans())
    def pull(self, zone, confirm, stale):
        m = self.model[zone]
        ref = self._zone_ref(zone, stale)
        if not self.running:
            with pytest.raises(NotRunning):
                self.viewer.pull(ref, force=confirm)
            return
        if m.one_way:
            with pytest.raises(ValueError, match="one-way"):
                self.viewer.pull(ref, force=confirm)
            return
        if m.dss_moved and not confirm:
            with pytest.raises(ConfirmationRequired):
                self.viewer.pull(ref)
            return
        self.viewer.pull(ref, force=confirm)
        m.sync_to_dss()

    @rule(zone=st.sampled_from(ZONES), confirm=st.booleans(), stale=st.booleans())
    def push(self, zone, confirm, stale):
        m = self.model[zone]
        ref = self._zone_ref(zone, stale)
        if not self.running:
            with pytest.raises(NotRunning):
                self.viewer.push(ref, force=confirm)
            return
        if not confirm:
            with pytest.raises(ConfirmationRequired):
                self.viewer.push(ref)
            return
        self.viewer.push(ref, force=True)  # the user read the warning and confirmed
        self.allowed_loss |= {(zone, p, t) for p, t in m.studio.items() if (p, t) not in m.dss_seen}
        m.sync_to_studio()

    @precondition(lambda self: self.running)
    @rule()
    def check_all(self):
        self.viewer.refresh()
        self.last_ids.update({z["type"]: z["id"] for z in self.viewer.zones})
        shown = {z["type"]: {(c, p) for c in ("added", "modified", "deleted") for p in z[c]} for z in self.viewer.zones}
        for zone, m in self.model.items():
            assert shown[zone] == m.conflicts(), zone

    # -- the studio's life -------------------------------------------------------------------
    @precondition(lambda self: self.running)
    @rule()
    def stop(self):
        self.studio.stop().wait_for_result(timeout=30)
        for zone, m in self.model.items():
            if m.one_way:  # never synced back: DSS documents that a stop discards it
                self.allowed_loss |= {(zone, p, t) for p, t in m.studio.items() if (p, t) not in m.dss_seen}
            else:
                m.sync_to_dss()
            m.studio = None
        self.running = False

    @precondition(lambda self: not self.running)
    @rule()
    def start(self):
        self.studio.restart().wait_for_result(timeout=30)
        for m in self.model.values():
            m.sync_to_studio()
        self.running = True

    # -- what must always hold ---------------------------------------------------------------
    @invariant()
    def sides_match_the_model(self):
        if not hasattr(self, "model"):
            return
        for zone, m in self.model.items():
            assert self.sim.read_files(self.pk, self.sid, zone, side="dss") == m.dss, zone
            studio = self.sim.read_files(self.pk, self.sid, zone, side="studio")
            assert studio == (m.studio or {}), zone

    @invariant()
    def nothing_is_lost_without_a_confirmed_overwrite(self):
        if not hasattr(self, "model"):
            return
        for zone, m in self.model.items():
            history = {(p, t) for c in self.sim.history(self.pk, self.sid, zone) for p, t in c["files"].items()}
            if zone == TWO_WAY:  # resources zones keep no history
                assert m.dss_seen <= history, f"DSS versions missing from the history of {zone}"
            studio = set(self.sim.read_files(self.pk, self.sid, zone, side="studio").items())
            for z, path, text in self.written:
                if z == zone and (path, text) not in history | studio:
                    assert (z, path, text) in self.allowed_loss, f"{path}={text!r} of {zone} was lost"

    def teardown(self):
        if hasattr(self, "viewer"):
            self.viewer.close()


def _machine(sync_model: str, consume: bool) -> type[SyncMachine]:
    return type(f"Sync_{sync_model}_{consume}", (SyncMachine,), {"SYNC_MODEL": sync_model, "CONSUME_FUTURES": consume})


COMBINATIONS = [("merge", True), ("merge", False), ("mirror", True), ("mirror", False)]
_MACHINES = {combo: _machine(*combo) for combo in COMBINATIONS}


@pytest.mark.parametrize("combo", COMBINATIONS, ids=[f"{m}-{'consume' if c else 'keep'}" for m, c in COMBINATIONS])
def test_sync_never_loses_content(combo):
    machine = _MACHINES[combo]
    run_state_machine_as_test(machine, settings=settings.get_profile("csw-long" if LONG else "csw-short"))


@pytest.mark.slow
@pytest.mark.parametrize("combo", COMBINATIONS, ids=[f"{m}-{'consume' if c else 'keep'}" for m, c in COMBINATIONS])
def test_sync_never_loses_content_long(combo):
    """The long form: 250 sequences per combination, 1,000 in all (100 per combination in CI's `make test-slow`)."""
    run_state_machine_as_test(_MACHINES[combo], settings=settings.get_profile("csw-long"))
