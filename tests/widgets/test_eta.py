"""The time left every panel shows (``_progress.task_view``): rate-based, smoothed, never climbing while
progress advances steadily, counting down when progress stalls, re-estimated on a real slowdown."""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass, field
from typing import Any

from cswidgets.widgets.shared.progress import EtaEstimator, task_view


@dataclass
class FakeProgress:
    fraction: float | None
    elapsed_s: float
    stage: str | None = "Building image"


@dataclass(eq=False)  # hashable, like cswidgets.api.Future
class FakeFuture:
    progress: FakeProgress = field(default_factory=lambda: FakeProgress(0.0, 0.0))
    done: bool = False
    aborted: bool = False
    error: Any = None
    result: Any = None
    job_id: str = "j"


def test_steady_progress_never_climbs_and_ends_near_the_truth():
    rng = random.Random(0)
    future, etas = FakeFuture(), []
    total = 30.0
    t = 0.0
    while t < total - 1:
        t += 0.5 + rng.uniform(-0.15, 0.15)  # polls are not evenly spaced
        future.progress = FakeProgress(min(1.0, t / total + rng.uniform(-0.004, 0.004)), round(t, 1))
        eta = task_view(future)["eta_s"]
        if eta is not None:
            etas.append((t, eta))
    assert etas and etas[0][0] < 4  # shown early
    values = [e for _, e in etas]
    assert all(b <= a for a, b in itertools.pairwise(values)), values
    for t, eta in etas[len(etas) // 2:]:  # once warmed up, close to the real time left
        assert abs(eta - (total - t)) < 3, (t, eta)


def test_a_fast_first_stage_does_not_promise_a_short_build():
    """The issue's case: 30 s build, the first stage jumps to 30 % in 1 s; then 70 % takes 29 s."""
    est, shown = EtaEstimator(), []
    for i in range(61):
        t = i * 0.5
        fraction = min(0.3, 0.3 * t) if t <= 1 else 0.3 + 0.7 * (t - 1) / 29
        eta = est.update(fraction, t)
        if eta is not None:
            shown.append((t, eta))
    late = [(t, e) for t, e in shown if t >= 10]
    assert all(abs(e - (30 - t)) < 4 for t, e in late), late
    values = [e for t, e in shown if t >= 6]
    assert all(b <= a for a, b in itertools.pairwise(values)), values


def test_stalled_progress_counts_down_then_gives_up():
    est = EtaEstimator()
    for t in range(11):
        eta = est.update(t / 20, float(t))
    assert eta is not None and abs(eta - 10) < 1
    assert abs(est.update(0.5, 14.0) - (eta - 4)) < 0.01  # no progress: the clock counts it down
    assert est.update(0.5, 30.0) is None  # past the estimate: nothing worth showing


def test_a_real_slowdown_is_re_estimated():
    est = EtaEstimator()
    for t in range(11):
        est.update(t / 20, float(t))  # 10 s left at this pace
    eta = None
    for t in range(11, 40):
        eta = est.update(0.5 + (t - 10) / 200, float(t))  # now 10x slower
    assert eta is not None and eta > 20


def test_no_estimate_without_signal_or_once_ended():
    est = EtaEstimator()
    assert est.update(None, 5.0) is None
    assert est.update(0.01, 1.0) is None
    assert est.update(1.0, 9.0) is None
    future = FakeFuture(FakeProgress(0.5, 10.0), done=True)
    assert task_view(future)["eta_s"] is None
