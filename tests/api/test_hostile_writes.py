"""Issue 23 (hostile server, round two), answers to writes: a write DSS accepted (2xx) with an answer that
cannot be understood is outcome-unknown, never "failed" (5); a job id DSS reuses never answers the previous
task's outcome (6)."""

from __future__ import annotations

import itertools

import pytest

import cswidgets.api as api
from cswidgets.api.waiting import future_outcome
from cswidgets.api.writes import DSSAnswerNotUnderstood

STUDIO = "/projects/P/code-studios/x"


# -- 5. accepted but not understood ------------------------------------------------------------------------------
@pytest.mark.parametrize("answer", ['{"jobId": "j', "OK", "\x00garbage", '{"jobId": 42}', '{"jobId": ["j"]}', '"OK"',
                                    "[1]"])
def test_a_stop_or_restart_accepted_with_an_answer_not_understood_is_outcome_unknown(stub, stub_client, answer):
    for action in ("stop", "restart"):
        stub.route("POST", f"{STUDIO}/{action}", 200, answer)
    studio = stub_client.get_project("P").get_code_studio("x")
    for action in (studio.stop, studio.restart):
        with pytest.raises(api.DSSOutcomeUnknownError, match=r"accepted .* but its answer was not understood") as info:
            action()
        assert isinstance(info.value, DSSAnswerNotUnderstood) and info.value.http_status == 200
    assert [r["method"] for r in stub.log] == ["POST", "POST"]  # each sent once


def test_a_build_answered_with_a_numeric_job_id_is_outcome_unknown(stub, stub_client):
    stub.route("POST", "/admin/code-studios/t/build", 200, {"jobId": 42})
    with pytest.raises(api.DSSOutcomeUnknownError, match="jobId is a JSON int"):
        stub_client.get_code_studio_template("t").build()


@pytest.mark.parametrize("answer", ['"OK"', "[]", "7", "true"])
def test_a_push_answered_with_something_else_than_an_object_is_outcome_unknown(stub, stub_client, answer):
    stub.route("GET", f"{STUDIO}/push/z", 200, answer)
    with pytest.raises(DSSAnswerNotUnderstood, match=r"push of zone 'z'.*not an object"):
        stub_client.get_project("P").get_code_studio("x").push_to_code_studio("z")


def test_a_read_with_invalid_json_stays_a_plain_error(stub, stub_client):
    stub.route("GET", "/projects/", 200, "{oops")
    with pytest.raises(api.DSSError, match="invalid JSON") as info:
        stub_client.list_projects()
    assert not isinstance(info.value, api.DSSOutcomeUnknownError)


# -- 6. a reused job id --------------------------------------------------------------------------------------------
def test_a_reused_job_id_never_answers_the_previous_builds_result(stub, stub_client):
    runs = itertools.count(1)
    current = {"run": 0}

    def build(_req):
        current["run"] = next(runs)
        return 200, {"jobId": "J", "hasResult": False}, {}

    def future(req):
        if req.args.get("peek") == "True" and current.get("peeked") != current["run"]:
            current["peeked"] = current["run"]  # each build runs for one peek
            return 200, {"jobId": "J", "hasResult": False, "alive": True}, {}
        return 200, {"jobId": "J", "hasResult": True, "result": {"build": current["run"]}}, {}

    stub.routes[("POST", "/admin/code-studios/t/build")] = build
    stub.routes[("GET", "/futures/J")] = future
    template = stub_client.get_code_studio_template("t")
    first = template.build()
    assert first.wait_for_result(timeout=5) == {"build": 1}
    second = template.build()  # DSS gives the new build the same id
    assert not second.done  # it was done at once with build 1's result before
    assert second.wait_for_result(timeout=5) == {"build": 2}
    assert first.result == {"build": 1} and future_outcome(first) == ("done", None)
