"""``python -m cswidgets.sim``: serve a simulator until SIGINT/SIGTERM.

Prints exactly one line, ``cswidgets.sim listening on http://127.0.0.1:PORT``, once ready, and
exits with status 0 after a clean stop.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Sequence

from . import assumptions as A
from .simulator import Simulator


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m cswidgets.sim", description=__doc__)
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (0: pick a free one)")
    parser.add_argument("--api-key", required=True, help="the admin's API key")
    parser.add_argument("--scenario", choices=["demo", "scale", "empty"], default="demo")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--speed", type=float, default=1.0, help="simulated time speed-up")
    parser.add_argument("--latency-ms", type=float, default=0.0, help="latency added to every API request")
    parser.add_argument("--projects", type=int, default=None, help="scale scenario: number of projects")
    parser.add_argument("--studios", type=int, default=None, help="scale scenario: total number of studios")
    parser.add_argument("--epoch-ms", type=int, default=None, help="simulated time at start (ms)")
    parser.add_argument(
        "--sync-model",
        choices=A.SYNC_MODELS,
        default=A.DEFAULT_SYNC_MODEL,
        help="how a pull writes the DSS zone: merge the studio's changes, or mirror the studio's copy",
    )
    parser.add_argument(
        "--consume-futures",
        action=argparse.BooleanOptionalAction,
        default=A.DEFAULT_CONSUME_FUTURES,
        help="the first non-peek read of a finished future takes it",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    done = threading.Event()

    def on_signal(signum: int, frame: object) -> None:
        done.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    try:
        sim = Simulator(
            scenario=args.scenario,
            api_key=args.api_key,
            seed=args.seed,
            latency_ms=args.latency_ms,
            speed=args.speed,
            projects=args.projects,
            studios=args.studios,
            epoch_ms=args.epoch_ms,
            port=args.port,
            sync_model=args.sync_model,
            consume_futures=args.consume_futures,
        )
        sim.start()
    except (OSError, ValueError) as exc:
        print(f"cswidgets.sim: {exc}", file=sys.stderr, flush=True)
        return 2
    try:
        print(f"cswidgets.sim listening on {sim.url}", flush=True)
        while not done.wait(0.2):
            pass
    finally:
        sim.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
