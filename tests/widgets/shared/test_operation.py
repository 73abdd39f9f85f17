"""Panel.operation: the one action path (activity entry, busy state, lost answers, failures, tasks)."""

from __future__ import annotations

import threading

import pytest

from cswidgets.api.errors import DSSError, DSSOutcomeUnknownError
from cswidgets.widgets.activity import PanelActivity
from cswidgets.widgets.shared.operation import BusyKeys
from cswidgets.widgets.shared.panel import Panel, action
from tests.support import record, wait_for


class Shop(Panel):
    """A panel whose one action sells an item through ``self.seller`` (a function)."""

    _esm = "export default { render() {} };"

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._activity = PanelActivity(None, "shop", lambda: "alice")
        self.busy_shown = {}
        self.items = BusyKeys(on_change=self._show_busy)
        self.seller = lambda item: {"sold": item}
        self.on_disk = "IN STOCK"

    def _show_busy(self, busy):
        self.busy_shown = busy

    def sell(self, item):
        with self.operation("sell", target=item, busy=self.items.slot(item, "sell"),
                            on_unknown=lambda: f"DSS now shows {self.on_disk}", alert_key=f"item:{item}") as op:
            return self.seller(item)
        return {"outcome": op.outcome, "text": op.message}

    @action("sell")
    def _on_sell(self, item):
        return self.sell(item)


@pytest.fixture
def shop():
    panel = Shop()
    record(panel)
    yield panel
    panel.close()


def entries(panel):
    return panel.activity_recorder.entries()


def test_a_request_that_succeeds_is_recorded_done_and_frees_the_busy_state(shop):
    seen = []
    shop.seller = lambda item: seen.append(dict(shop.busy_shown)) or {"sold": item}
    assert shop.sell("hat") == {"sold": "hat"}
    assert seen == [{"hat": "sell"}]  # busy while the request runs
    assert shop.busy_shown == {}
    [entry] = entries(shop)
    assert (entry["what"], entry["target"], entry["who"], entry["outcome"]) == ("sell", "hat", "alice", "done")
    assert shop.alerts == []


def test_a_failure_keeps_the_original_exception_and_is_alerted_once(shop):
    error = DSSError("not yours", status=403, error_type="com.dataiku.dip.exceptions.UnauthorizedException")

    def refuse(item):
        raise error

    shop.seller = refuse
    with pytest.raises(DSSError) as caught:
        shop.sell("hat")
    assert caught.value is error and caught.value.status == 403  # not wrapped
    [entry] = entries(shop)
    assert entry["outcome"] == "failed" and entry["message"].startswith("you don't have permission to sell hat")
    assert [a["message"] for a in shop.alerts] == [f"Could not sell hat: {entry['message']}"]
    assert shop.busy_shown == {}
    # from the browser: the reply says the same, and the dispatcher adds no second alert
    shop._handle_custom_msg({"kind": "sell", "id": "r1", "item": "cap"}, [])
    reply = wait_for(lambda: shop.send.reply("r1"), timeout=5.0, what="the reply")
    assert reply["ok"] is False and reply["error"] == entries(shop)[-1]["message"]
    assert len(shop.alerts) == 2 and shop.alerts[-1]["key"] == "item:cap"


def test_a_lost_answer_is_unknown_with_what_dss_shows_and_no_exception(shop):
    def lose(item):
        shop.on_disk = "SOLD"
        raise DSSOutcomeUnknownError("read timeout after sending")

    shop.seller = lose
    result = shop.sell("hat")
    assert result == {"outcome": "unknown",
                      "text": "Sell of hat: outcome unknown (the answer was lost); DSS now shows SOLD"}
    [entry] = entries(shop)
    assert entry["outcome"] == "unknown" and entry["message"] == result["text"]
    [alert] = shop.alerts
    assert alert["level"] == "warning" and alert["message"] == result["text"] and alert["key"] == "item:hat"


def test_a_lost_answer_whose_reread_fails_stays_unknown(shop):
    def lose(item):
        raise DSSOutcomeUnknownError("reset")

    def unreadable():
        raise DSSError("down", status=503)

    shop.seller = lose
    with shop.operation("sell", target="hat", on_unknown=unreadable) as op:
        shop.seller("hat")
    assert op.outcome == "unknown" and op.message.endswith("DSS could not be asked again")


def test_a_second_action_on_a_busy_key_is_refused_and_recorded(shop):
    inside = threading.Event()
    release = threading.Event()

    def slow(item):
        inside.set()
        release.wait(5)
        return {"sold": item}

    shop.seller = slow
    first = threading.Thread(target=shop.sell, args=("hat",))
    first.start()
    try:
        assert inside.wait(5)
        with pytest.raises(ValueError, match="already running"):
            shop.sell("hat")
        assert shop.sell("cap") == {"sold": "cap"}  # another key is free
    finally:
        release.set()
        first.join(5)
    outcomes = [(e["target"], e["outcome"]) for e in entries(shop)]
    assert sorted(outcomes) == [("cap", "done"), ("hat", "done"), ("hat", "refused")]
    assert shop.busy_shown == {}


def test_refuse_ends_the_entry_and_answers_not_accepted(shop):
    with shop.operation("sell", target="hat") as op:
        answer = op.refuse("hat: sell already in progress")
    assert answer == {"accepted": False, "reason": "hat: sell already in progress"}
    [entry] = entries(shop)
    assert entry["outcome"] == "refused" and entry["message"] == "hat: sell already in progress"


class FakeFuture:
    def __init__(self):
        self.done, self.aborted, self.error, self.result = False, False, None, None


class FakeTracker:
    def __init__(self):
        self.followed = []

    def track(self, future, on_progress=None, on_done=None, *, keep=None, watched=None):
        self.followed.append((future, on_progress, on_done, keep))
        return object()


@pytest.mark.parametrize(("ending", "outcome", "level"), [
    ({"done": True}, "done", None),
    ({"done": True, "error": DSSError("no space left on device", status=500)}, "failed", "error"),
    ({"done": True, "aborted": True}, "aborted", "error"),
    ({"done": True, "error": DSSError("connection lost", status=None)}, "unknown", "warning"),
])
def test_a_followed_task_ends_the_entry_when_it_ends(shop, ending, outcome, level):
    tracker, future = FakeTracker(), FakeFuture()
    hooks = []
    with shop.operation("sell", target="hat", busy=shop.items.slot("hat", "sell"), alert_key="item:hat") as op:
        op.follow(future, tracker, on_done=lambda f: hooks.append(threading.current_thread().name) or "DSS shows X")
    assert op.outcome is None and entries(shop)[0]["outcome"] == "running"
    assert shop.busy_shown == {"hat": "sell"}  # held until the task ends
    vars(future).update(ending)
    tracker.followed[0][2](future)  # the tracker says it ended
    wait_for(lambda: op.outcome is not None, timeout=5.0, what="the end")
    assert op.outcome == outcome and entries(shop)[0]["outcome"] == outcome
    assert hooks and hooks[0].startswith(shop.thread_prefix)  # on the panel's pool, not the tracker's thread
    assert shop.busy_shown == {}
    assert [a["level"] for a in shop.alerts] == ([level] if level else [])
    if outcome == "unknown":
        assert "DSS shows X" in op.message


def test_a_closed_panel_no_longer_wants_its_followed_task(shop):
    """The tracker is told to drop the task once the panel is closed (issue 23, item 13): ``keep()``."""
    tracker = FakeTracker()
    with shop.operation("sell", target="hat") as op:
        op.follow(FakeFuture(), tracker)
    keep = tracker.followed[0][3]
    assert keep() is True
    shop.close()
    assert keep() is False


def test_operations_of_a_panel_without_activity_still_work():
    class Bare(Panel):
        _esm = "export default { render() {} };"

    panel = Bare()
    try:
        with panel.operation("look", target="x") as op:
            pass
        assert op.outcome == "done" and op.entry_id is None
    finally:
        panel.close()
