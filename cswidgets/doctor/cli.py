"""``python -m cswidgets doctor``: the doctor from a terminal.

    python -m cswidgets doctor                       # settings as cswidgets.connect() finds them
    python -m cswidgets doctor --report report.json  # also write the scrubbed report (attach it to a bug)

Exit status: 0 when the product can work here (differences, if any, have a tolerant path), 1 when it cannot
(no connection, credentials refused, an HTML page instead of the API...), 2 for bad arguments.
The API key is never an argument (it would show in the shell's history and the process list): it comes from
``DKU_API_KEY``, the in-DSS ticket or ``~/.dataiku/config.json``, as for ``cswidgets.connect()``.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import Any

__all__ = ["main"]


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m cswidgets doctor",
        description="Check, read-only, what cswidgets assumes about a DSS: nothing is started, stopped, pulled, "
        "pushed, built or written.")
    p.add_argument("--url", help="DSS base URL (default: DKU_DSS_URL, the in-DSS settings or ~/.dataiku/config.json); "
                   "the key comes from DKU_API_KEY")
    p.add_argument("--ca-bundle", metavar="PATH", help="CA bundle to verify DSS's certificate with")
    p.add_argument("--insecure", action="store_true", help="do not verify DSS's certificate (not recommended)")
    p.add_argument("--report", metavar="FILE.json", help="write the scrubbed report (no names, keys or hosts)")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    kwargs: dict[str, Any] = {}
    if args.url:
        key = os.environ.get("DKU_API_KEY")
        if not key:
            sys.stderr.write("--url needs the API key in DKU_API_KEY (never on the command line)\n")
            return 2
        kwargs.update(url=args.url, api_key=key)
    if args.insecure:
        kwargs["verify"] = False
    elif args.ca_bundle:
        kwargs["verify"] = args.ca_bundle
    from .run import diagnose

    report = diagnose(**kwargs)
    sys.stdout.write(report.text() + "\n")
    if args.report:
        path = report.write(args.report)
        sys.stdout.write(f"\nReport written to {path} (versions, verdicts, timings and answer shapes; no names or "
                         "secrets).\n")
    return report.exit_code
