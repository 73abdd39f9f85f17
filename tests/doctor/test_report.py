"""The ``--report`` file: versions, verdicts, timings and shapes -- and no key, ticket, host, user, project,
studio, template or file name, whatever the instance holds. And its shapes replayed: a difference found on
one DSS becomes a regression test here."""

from __future__ import annotations

import json

import cswidgets
from cswidgets.doctor import diagnose
from cswidgets.doctor.replay import reshape, serve
from cswidgets.doctor.shapes import shape_of
from cswidgets.sim import Simulator
from tests.doctor import variants

ADMIN_KEY = "adminkey-Q7xTz9"
NAMES = ("zelda-the-user", "PRJSECRETX", "Quarterly Forecast Studio", "s3cr3tsid", "lib/secret_module.py",
         "tpl_classified", "Classified Template")


def instance():
    sim = Simulator(scenario="demo", api_key=ADMIN_KEY, seed=0, speed=0).start()
    zelda = sim.add_user("zelda-the-user", key="zeldakey-W2pLm4", admin=True)
    pk = sim.add_project("PRJSECRETX", name="Project Nobody Must See", owner="zelda-the-user")
    tpl = sim.add_template("Classified Template", "block_based", template_id="tpl_classified",
                           zones=["project-lib-versioned", "code_studio-versioned"])
    sid = sim.add_studio(pk, "Quarterly Forecast Studio", "zelda-the-user", tpl, studio_id="s3cr3tsid",
                         state="STOPPED")
    sim.write_file(pk, sid, "project-lib-versioned", "lib/secret_module.py", "TOKEN = 'x'\n", side="dss",
                   author="zelda-the-user")
    sim.set_state(pk, sid, "RUNNING")
    return sim, zelda


def test_the_report_holds_no_secret_and_no_name(tmp_path):
    sim, zelda = instance()
    try:
        texts = []
        for login, kwargs in (("zelda-the-user", {"api_key": zelda}), ("admin", {"ticket": ADMIN_KEY})):
            client = cswidgets.connect(sim.url, **kwargs)
            report = diagnose(client)
            assert report.exit_code == 0 and f"user         {login}," in report.text()  # the user sees who they are
            texts.append(report.write(tmp_path / "r.json").read_text())
            text = texts[-1]
            assert json.loads(text)["shapes"]["GET /projects/{pk}/code-studios/{id}/status"]
            secrets = [zelda, ADMIN_KEY, sim.url, "127.0.0.1", str(sim.port), *NAMES,
                       *(z for z in sim.zone_ids("PRJSECRETX", "s3cr3tsid").values())]
            leaked = [s for s in secrets if s.lower() in text.lower()]
            assert leaked == [], leaked
    finally:
        sim.stop()


def test_shapes_keep_dss_constants_only():
    value = {"state": "RUNNING", "owner": "RUNNING-but-a-name", "lastStateChange": 1717000000000,
             "exposed": [{"url": "code-studios/X/y/8080/", "exposedPort": 8080}], "zones": []}
    assert shape_of(value) == {"object": {
        "state": "str=RUNNING", "owner": "str", "lastStateChange": "int:ms",
        "exposed": {"list": {"object": {"url": "str", "exposedPort": "int"}}}, "zones": {"list": None}}}
    assert reshape({"state": "STOPPED", "extra": 1, "owner": "a"}, shape_of({"state": "RUNNING", "owner": "b",
                                                                            "new": True})) == \
        {"state": "RUNNING", "owner": "a", "new": True}


def test_a_report_replayed_on_the_simulator_gives_the_same_verdicts():
    """A report written where tasks list without their state, replayed on a plain simulator: the same
    difference. A report of the plain simulator, replayed: everything confirmed again."""
    with Simulator(scenario="demo", api_key=ADMIN_KEY, seed=0, speed=0) as sim:
        with serve(sim, app=variants.without_task_state(sim.app)) as url:
            found = diagnose(cswidgets.connect(url, api_key=ADMIN_KEY))
        plain = diagnose(cswidgets.connect(sim.url, api_key=ADMIN_KEY))
    with Simulator(scenario="demo", api_key=ADMIN_KEY, seed=0, speed=0) as fresh:
        with serve(fresh, found.as_json()) as url:
            replayed = diagnose(cswidgets.connect(url, api_key=ADMIN_KEY))
        with serve(fresh, plain.as_json()) as url:
            replayed_plain = diagnose(cswidgets.connect(url, api_key=ADMIN_KEY))
    verdicts = lambda report: {c.topic: c.verdict for c in report.checks}  # noqa: E731
    topic = "running tasks name their studios"
    assert verdicts(found)[topic] == verdicts(replayed)[topic] == "differs"
    assert verdicts(replayed) == verdicts(found)
    assert verdicts(replayed_plain) == verdicts(plain)
    assert replayed_plain.differences == []


def test_keys_that_are_values_are_hidden_in_the_shapes():
    from cswidgets.doctor.redact import Redactor
    from cswidgets.doctor.report import Report

    report = Report(redactor=Redactor(["customer_acme"]))
    report.shapes = {"GET /admin/code-studios/{tpl}": shape_of({"params": {"customer_acme": "x", "type": "y"}})}
    text = json.dumps(report.as_json())
    assert "customer_acme" not in text and '"<key>": "str"' in text and '"type": "str"' in text
