"""Which studios a running task (an item of ``GET /futures/``) acts on: the live table's hint that another
client is starting or stopping a studio (docs/dss-api.md §10 "Running tasks", INFERRED)."""

from __future__ import annotations

import pytest

from cswidgets.api.assumptions import studios_of_task, task_action
from cswidgets.sim.assumptions import studio_task_payload


def test_the_simulators_payload_is_read():
    item = {"jobId": "j", "payload": studio_task_payload("Restart", "P", "abc"), "jobDisplayName": "Restart x"}
    assert studios_of_task(item) == [("P", "abc")]
    assert task_action(item) == "restart"


@pytest.mark.parametrize(("payload", "expected"), [
    ({"projectKey": "P", "codeStudioId": "a"}, [("P", "a")]),
    ({"projectKey": "P", "studioId": "a"}, [("P", "a")]),
    ({"targets": [{"objectType": "kubikle", "projectKey": "P", "id": "a"}]}, [("P", "a")]),
    ({"targets": [{"objectType": "DATASET", "projectKey": "P", "id": "a"}]}, []),
    ({"targets": "P/a"}, []),
    ({"targets": [None, {"objectType": "CODE_STUDIO", "projectKey": 1, "id": "a"}]}, []),
    ({"templateId": "t", "action": "build-code-studio-template"}, []),
    (None, []),
    ("a string", []),
])
def test_other_shapes_are_tolerated(payload, expected):
    assert studios_of_task({"payload": payload}) == expected


@pytest.mark.parametrize(("item", "verb"), [
    ({"payload": {"action": "code-studio-stop"}}, "stop"),
    ({"jobDisplayName": "Starting code studio x"}, "start"),
    ({"payload": {"action": 3}, "jobDisplayName": None}, ""),
    ("not a dict", ""),
])
def test_task_action(item, verb):
    assert task_action(item) == verb
