"""Many threads at once leave a consistent simulator."""

from __future__ import annotations

import itertools
import random
from concurrent.futures import ThreadPoolExecutor

import dataikuapi
from dataikuapi.utils import DataikuException

from cswidgets.sim import SimError, Simulator
from cswidgets.sim.model.studios import STATES
from tests.support import wait_for

from .conftest import KEY

EXPECTED_ERRORS = ("NotFoundException",)  # stale zone ids after a restart


def worker(sim: Simulator, seed: int) -> list[str]:
    rng = random.Random(seed)
    client = dataikuapi.DSSClient(sim.url, KEY)
    unexpected: list[str] = []
    pks = sim.project_keys()
    for _ in range(20):
        pk = rng.choice(pks)
        sid = rng.choice(sim.studio_ids(pk))
        studio = client.get_project(pk).get_code_studio(sid)
        op = rng.choice(["restart", "stop", "write", "pull", "push", "list", "status", "conflicts"])
        try:
            if op == "restart":
                studio.restart()
            elif op == "stop":
                studio.stop()
            elif op == "write":
                side = rng.choice(["dss", "studio"])
                sim.write_file(
                    pk, sid, "project-lib-versioned", f"t{seed}.py", str(rng.random()), side=side, author=f"w{seed}"
                )
            elif op == "list":
                assert len(client.get_project(pk).list_code_studios()) == len(sim.studio_ids(pk))
            elif op == "status":
                assert studio.get_status().state in STATES
            else:
                zones = studio.get_status().get_zones()
                if zones:
                    zone = rng.choice(zones)
                    if op == "conflicts":
                        studio.check_conflicts(zone)
                    elif op == "push":
                        studio.push_to_code_studio(zone)
                    else:
                        studio.pull_from_code_studio(zone)
        except DataikuException as exc:
            if not any(e in str(exc) for e in EXPECTED_ERRORS) and "one-way" not in str(exc):
                unexpected.append(f"{op}: {exc}")
        except SimError as exc:
            if exc.status != 409:  # studio-side write while not running
                unexpected.append(f"{op}: {exc}")
    return unexpected


def test_many_threads_leave_a_consistent_state():
    with Simulator(scenario="demo", api_key=KEY, seed=5, speed=200) as sim:
        with ThreadPoolExecutor(32) as pool:
            results = list(pool.map(lambda i: worker(sim, i), range(32)))
        assert [u for r in results for u in r] == []
        assert not [r for r in sim.requests if r.status == 500]
        model = sim.model
        admin = dataikuapi.DSSClient(sim.url, KEY)
        wait_for(lambda: admin.list_futures(all_users=True) == [], timeout=15)  # all futures terminate
        with model.lock:
            model.tick()
            for pk, studios in model.studios.items():
                for st in studios.values():
                    assert st.state in ("STOPPED", "RUNNING"), (pk, st.id, st.state)
                    assert st.waiters == []
                    keys = [z.key for z in st.zones]
                    if st.state == "RUNNING":
                        assert sorted(st.zone_ids) == sorted(keys) and sorted(st.sides) == sorted(keys)
                        for key, side in st.sides.items():
                            repo = model.repo(st, key)
                            assert repo.get(side.base.hash) is side.base
                    else:
                        assert st.zone_ids == {} and st.sides == {}
            for repo in model.repos.values():
                hashes = [c.hash for c in repo.commits]
                assert len(set(hashes)) == len(hashes)
                assert all(c.parent == p.hash for p, c in itertools.pairwise(repo.commits))
        assert all(not f.alive for f in model.futures.all())
        client = dataikuapi.DSSClient(sim.url, KEY)
        for pk in sim.project_keys():
            for item in client.get_project(pk).list_code_studios():
                status = item.to_code_studio().get_status()
                for zone in status.get_zones():
                    assert not item.to_code_studio().check_conflicts(zone).is_error
