"""Differential tests: cswidgets and the official dataikuapi client, on the same simulator state,
return the same data for every seed operation; and every public member of each official class exists in
cswidgets with a compatible signature (by introspection, at the end)."""

from __future__ import annotations

import importlib
import inspect

import pytest

import cswidgets.api as api
from cswidgets.api.official import OFFICIAL_NAMES, official_class
from tests.support import wait_for

STABLE = ("RUNNING", "STOPPED")


def all_stable(client: api.Client) -> bool:
    for pk in client.list_project_keys():
        for cs in client.get_project(pk).list_code_studios(as_type="objects"):
            if cs.get_status().state not in STABLE:
                return False
    return True


@pytest.fixture
def settled(client):
    wait_for(lambda: all_stable(client), timeout=20)
    return client


def running_studio(client: api.Client) -> api.CodeStudio:
    for pk in client.list_project_keys():
        for cs in client.get_project(pk).list_code_studios(as_type="objects"):
            if cs.get_status().state == "RUNNING":
                return cs
    pytest.fail("the demo scenario has no running studio")


def stopped_studio(client: api.Client) -> api.CodeStudio:
    for pk in client.list_project_keys():
        for cs in client.get_project(pk).list_code_studios(as_type="objects"):
            if cs.get_status().state == "STOPPED":
                return cs
    pytest.fail("the demo scenario has no stopped studio")


def test_projects(settled, official):
    assert settled.list_project_keys() == official.list_project_keys()
    assert settled.list_projects() == official.list_projects()


def test_list_items_and_settings_and_status(settled, official):
    keys = settled.list_project_keys()
    assert keys
    compared = 0
    for pk in keys:
        ours = settled.get_project(pk).list_code_studios()
        theirs = official.get_project(pk).list_code_studios()
        assert [o.get_raw() for o in ours] == [t._data for t in theirs]
        for o, t in zip(ours, theirs, strict=True):
            for attr in ("id", "name", "owner", "template_id", "template_description"):
                assert getattr(o, attr) == getattr(t, attr), attr
            if "label" in (t._data.get("desc") or {}):
                assert o.template_label == t.template_label
            else:  # documented fix: fall back to the template id, not the studio id
                assert o.template_label == o.template_id
            so, st = o.to_code_studio().get_settings(), t.to_code_studio().get_settings()
            assert so.get_raw() == st.get_raw()
            for attr in ("id", "name", "template_id", "lib_name", "owner"):
                assert getattr(so, attr) == getattr(st, attr), attr
            ko, kt = o.to_code_studio().get_status(), t.to_code_studio().get_status()
            assert ko.get_raw() == kt.get_raw()
            assert ko.state == kt.state
            assert ko.last_state_change == kt.last_state_change  # same instant (UTC vs local zone)
            assert ko.get_zones() == kt.get_zones()
            assert ko.get_zones("names") == kt.get_zones("names")
            assert ko.get_zones(as_type="objects") == kt.get_zones(as_type="objects")
            compared += 1
        assert [c.id for c in settled.get_project(pk).list_code_studios(as_type="objects")] == [
            c.code_studio_id for c in official.get_project(pk).list_code_studios(as_type="objects")
        ]
    assert compared >= 2


def test_get_zones_bad_type(settled, official):
    cs = running_studio(settled)
    with pytest.raises(ValueError):
        cs.get_status().get_zones("ids")
    with pytest.raises(Exception, match="Only 'names' or 'objects'"):
        official.get_project(cs.project_key).get_code_studio(cs.id).get_status().get_zones("ids")


def test_conflicts_after_edits_and_push(settled, official, sim):
    cs = running_studio(settled)
    theirs = official.get_project(cs.project_key).get_code_studio(cs.id)
    zones = cs.get_status().get_zones("objects")
    zone = next(z for z in zones if not z.get("oneWay"))
    zid = zone["id"]
    sim.write_file(cs.project_key, cs.id, zid, "both.py", "studio side\n", side="studio", author="alice")
    sim.write_file(cs.project_key, cs.id, zid, "both.py", "dss side\n", side="dss", author="bob")
    sim.write_file(cs.project_key, cs.id, zid, "only_studio.py", "x\n", side="studio", author="alice")
    co, ct = cs.check_conflicts(zid), theirs.check_conflicts(zid)
    assert co.get_raw() == ct.get_raw()
    assert dict(co) == dict(ct)
    for attr in ("is_error", "authors", "added", "modified", "deleted"):
        assert getattr(co, attr) == getattr(ct, attr), attr
    assert co.added + co.modified, "the edits should conflict"
    assert not co.is_error
    # an unknown zone
    bo, bt = cs.check_conflicts("no-such-zone"), theirs.check_conflicts("no-such-zone")
    assert bo.get_raw() == bt.get_raw()
    assert bo.is_error and bt.is_error
    # push twice: same counts from both clients
    assert cs.push_to_code_studio(zid) == theirs.push_to_code_studio(zid)
    # pull: both return None, same effect
    assert cs.pull_from_code_studio(zid) is None
    assert theirs.pull_from_code_studio(zid) is None


def test_change_owner_returns_the_same_data(settled, official, sim):
    cs = running_studio(settled)
    theirs = official.get_project(cs.project_key).get_code_studio(cs.id)
    current = cs.get_settings().owner
    other = next(login for login in sim.keys if login != current and login != "admin")
    ours_result = cs.change_owner(other)
    assert ours_result == theirs.get_settings().get_raw()
    assert ours_result["owner"] == other
    theirs_result = theirs.change_owner(current)
    assert theirs_result == cs.get_settings().get_raw()


def test_templates(settled, official):
    ours = settled.list_code_studio_templates()
    theirs = official.list_code_studio_templates()
    assert [o.get_raw() for o in ours] == [t._data for t in theirs]
    for o, t in zip(ours, theirs, strict=True):
        for attr in ("id", "label", "build_for_configs", "last_built"):
            assert getattr(o, attr) == getattr(t, attr), attr
        so, st = o.to_code_studio_template().get_settings(), t.to_code_studio_template().get_settings()
        assert so.get_raw() == st.get_raw()
        assert so.get_built_for_all_container_confs() == st.get_built_for_all_container_confs()
        assert so.get_built_container_confs() == st.get_built_container_confs()
    assert [t.id for t in settled.list_code_studio_templates(as_type="objects")] == [
        t.template_id for t in official.list_code_studio_templates(as_type="objects")
    ]


def test_template_settings_save_round_trip(settled, official):
    tid = settled.list_code_studio_templates()[0].id
    ours = settled.get_code_studio_template(tid).get_settings()
    ours.set_built_container_confs("k8s-default")
    ours.save()
    theirs = official.get_code_studio_template(tid).get_settings()
    assert theirs.get_built_container_confs() == ["k8s-default"]
    assert theirs.get_built_for_all_container_confs() is False
    theirs.set_built_container_confs(all=True)
    theirs.save()
    again = settled.get_code_studio_template(tid).get_settings()
    assert again.get_built_for_all_container_confs() is True
    assert again.get_raw() == official.get_code_studio_template(tid).get_settings().get_raw()


def test_build_future_results_match(settled, official):
    tid = settled.list_code_studio_templates()[0].id
    ours = settled.get_code_studio_template(tid).build(disable_docker_cache=True).wait_for_result(timeout=30)
    theirs = official.get_code_studio_template(tid).build(disable_docker_cache=True).wait_for_result()
    assert ours == theirs
    assert settled.list_code_studio_templates()[0].last_built is not None


def test_stop_restart_futures_match(settled, official):
    cs = stopped_studio(settled)
    theirs = official.get_project(cs.project_key).get_code_studio(cs.id)
    # stop on a stopped studio: both already complete, same (absent) result, no /futures/None
    f_ours, f_theirs = cs.stop(), theirs.stop()
    assert f_ours.done and f_ours.job_id is None
    assert f_ours.wait_for_result(timeout=5) == f_theirs.wait_for_result()
    # start with ours, stop with theirs
    assert cs.restart().wait_for_result(timeout=30) is None
    assert theirs.get_status().state == "RUNNING"
    assert theirs.stop().wait_for_result() is None
    assert cs.get_status().state == "STOPPED"


def test_create_and_delete(settled, official):
    pk = settled.list_project_keys()[0]
    tid = settled.list_code_studio_templates()[0].id
    ours = settled.get_project(pk).create_code_studio("made by cswidgets", tid)
    theirs = official.get_project(pk).create_code_studio("made by dataikuapi", tid)
    so, st = ours.get_settings().get_raw(), theirs.get_settings().get_raw()
    assert set(so) == set(st)
    assert (so["templateId"], so["name"]) == (tid, "made by cswidgets")
    assert ours.id in official.get_project(pk).get_code_studio(ours.id).get_settings().get_raw()["id"]
    ours.delete()
    official.get_project(pk).get_code_studio(theirs.code_studio_id).delete()
    ids = [c.id for c in settled.get_project(pk).list_code_studios()]
    assert ours.id not in ids
    assert theirs.code_studio_id not in ids
    with pytest.raises(api.DSSError) as info:
        ours.get_settings()
    assert info.value.status == 404


# --- every official member, by introspection -----------------------------------------------------------------
# The official client (dataikuapi) is introspected: every public member of each class cswidgets mirrors must exist
# under the same name, be of the same kind (property or callable) and accept the same arguments (same names in the
# same positions, same defaults); cswidgets may add optional arguments. The official names are aliases of the
# cswidgets classes (cswidgets.api.official). Classes cswidgets mirrors only in part list the members it mirrors.
PARTIAL = {
    "DSSClient": ("create_code_studio_template", "get_auth_info", "get_code_studio_template", "get_default_project",
                  "get_future", "get_project", "import_code_studio_template", "list_code_studio_templates",
                  "list_futures", "list_project_keys", "list_projects"),
    "DSSProject": ("create_code_studio", "get_code_studio", "get_library", "get_project_git", "list_code_studios"),
    "DSSProjectGit": ("diff", "log"),
    "DSSLibrary": ("get_file",),
    "DSSLibraryFile": ("read",),
}
# Deliberate differences, each with its reason (README "Compared with the official client"); a test below checks
# that each one is still a real difference, so the list cannot rot.
DIFFERENCES = {
    ("DSSCodeStudioTemplateSettings", "set_built_container_confs"):
        "the official **kwargs reads one keyword, all=; cswidgets names it (a typo fails loudly)",
}


def official_class_of(name: str) -> type:
    return getattr(importlib.import_module(OFFICIAL_NAMES[name][0]), name)


def official_members(name: str) -> list[str]:
    cls = official_class_of(name)
    if name in PARTIAL:
        return list(PARTIAL[name])
    return [m for m, _ in inspect.getmembers(cls) if not m.startswith("_")]


def _is_property(cls: type, member: str) -> bool:
    return isinstance(inspect.getattr_static(cls, member), property)


def _params(func) -> list[inspect.Parameter]:
    sig = inspect.signature(func)
    return [p for p in sig.parameters.values() if p.name not in ("self", "cls")]


def _same_default(theirs, ours) -> bool:
    if callable(theirs) and getattr(theirs, "__name__", "") == "<lambda>":  # identity wrappers: ours say None
        return ours is None or callable(ours)
    return theirs == ours


def signature_problem(theirs, ours) -> str | None:
    """Why code calling ``theirs`` would break when calling ``ours`` (``None``: it would not)."""
    try:
        tp, op = _params(theirs), _params(ours)
    except (TypeError, ValueError):
        return None  # a builtin of a base class (dict methods): same base, nothing to compare
    kinds = inspect.Parameter
    ours_by_name = {p.name: p for p in op}
    positional = [p for p in op if p.kind in (kinds.POSITIONAL_ONLY, kinds.POSITIONAL_OR_KEYWORD)]
    for i, p in enumerate(tp):
        if p.kind is kinds.VAR_POSITIONAL:
            if not any(q.kind is kinds.VAR_POSITIONAL for q in op):
                return "no *args"
        elif p.kind is kinds.VAR_KEYWORD:
            if not any(q.kind is kinds.VAR_KEYWORD for q in op):
                return "no **kwargs"
        elif p.kind is kinds.POSITIONAL_OR_KEYWORD and (i >= len(positional) or positional[i].name != p.name):
            return f"argument {i + 1} is not {p.name!r}"
        elif p.name not in ours_by_name:
            return f"no argument {p.name!r}"
        elif not _same_default(p.default, ours_by_name[p.name].default):
            return f"{p.name}: default {ours_by_name[p.name].default!r}, not {p.default!r}"
    required_extra = [q.name for q in op if q.name not in {p.name for p in tp} and q.default is q.empty
                      and q.kind not in (kinds.VAR_POSITIONAL, kinds.VAR_KEYWORD)]
    return f"requires {required_extra}" if required_extra else None


def test_every_class_of_the_reference_has_its_official_name():
    # the classes of the official Code Studios reference, spelt out
    for name in ("DSSCodeStudioObject", "DSSCodeStudioObjectListItem", "DSSCodeStudioObjectSettings",
                 "DSSCodeStudioObjectStatus", "DSSCodeStudioObjectConflicts", "DSSCodeStudioTemplateListItem",
                 "DSSCodeStudioTemplate", "DSSCodeStudioTemplateSettings", "DSSFuture"):
        assert getattr(api, name) is official_class(name)
    assert isinstance(api.DSSClient, type) and api.DSSClient is api.Client


@pytest.mark.parametrize("name", sorted(OFFICIAL_NAMES))
def test_every_official_member_exists_with_a_compatible_signature(name):
    theirs, ours = official_class_of(name), official_class(name)
    problems = []
    for member in official_members(name):
        if (name, member) in DIFFERENCES:
            continue
        if not hasattr(ours, member):
            problems.append(f"{member}: missing")
            continue
        if _is_property(theirs, member) != _is_property(ours, member):
            problems.append(f"{member}: a property in one, not in the other")
            continue
        their_member, our_member = getattr(theirs, member), getattr(ours, member)
        if callable(their_member) and not _is_property(theirs, member):
            if not callable(our_member):
                problems.append(f"{member}: not callable")
                continue
            why = signature_problem(their_member, our_member)
            if why:
                problems.append(f"{member}: {why}")
    assert problems == [], f"{name} vs {ours.__name__}"


def test_documented_differences_are_still_real():
    for (name, member), _reason in DIFFERENCES.items():
        assert signature_problem(getattr(official_class_of(name), member),
                                 getattr(official_class(name), member)) is not None, (name, member)


def test_instances_carry_the_official_attributes(settled, official, sim):
    """The attributes the official constructors set (``code_studio_id``, ``settings``, ``state_is_peek``...) are
    there on cswidgets' objects made by the same calls."""
    cs = running_studio(settled)
    theirs = official.get_project(cs.project_key).get_code_studio(cs.id)
    zone = cs.get_status().get_zones("names")[0]
    tid = settled.list_code_studio_templates()[0].id
    pairs = [
        (settled.get_project(cs.project_key), official.get_project(cs.project_key)),
        (cs, theirs),
        (settled.get_project(cs.project_key).list_code_studios()[0],
         official.get_project(cs.project_key).list_code_studios()[0]),
        (cs.get_settings(), theirs.get_settings()),
        (cs.get_status(), theirs.get_status()),
        (cs.check_conflicts(zone), theirs.check_conflicts(zone)),
        (settled.list_code_studio_templates()[0], official.list_code_studio_templates()[0]),
        (settled.get_code_studio_template(tid), official.get_code_studio_template(tid)),
        (settled.get_code_studio_template(tid).get_settings(), official.get_code_studio_template(tid).get_settings()),
        (settled.get_future("j1"), official.get_future("j1")),
    ]
    for ours, theirs_obj in pairs:
        wanted = {k for k in vars(theirs_obj) if not k.startswith("_")} - {"client"}
        assert {k for k in wanted if not hasattr(ours, k)} == set(), type(theirs_obj).__name__
        assert ours.client is settled if hasattr(ours, "client") else True
