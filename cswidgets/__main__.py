"""``python -m cswidgets doctor``: see :mod:`cswidgets.doctor.cli`."""

from __future__ import annotations

import sys

USAGE = "usage: python -m cswidgets doctor [--help]"


def main(argv: list[str]) -> int:
    if not argv or argv[0] != "doctor":
        sys.stderr.write(USAGE + "\n")
        return 2
    from cswidgets.doctor.cli import main as doctor

    return doctor(argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
