"""``python -m hvpscore.datasets [PATH]``: (re)write the synthetic sample stock.

Writes ``data/sample/patents.csv`` (or PATH) from fixed arguments (``SAMPLE_ARGS``: 3,000 rows,
fixed seed, as_of 2025-12-31); running it twice gives the same bytes.
"""

from __future__ import annotations

import sys

from hvpscore.datasets._sample import SAMPLE_ARGS, write_sample


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    target = argv[0] if argv else "data/sample/patents.csv"
    path = write_sample(target)
    print(f"wrote {path} ({path.stat().st_size / 1e6:.2f} MB, {SAMPLE_ARGS['n']} synthetic rows, "
          f"seed {SAMPLE_ARGS['seed']}, as_of {SAMPLE_ARGS['as_of']})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
