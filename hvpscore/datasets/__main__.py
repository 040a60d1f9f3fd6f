"""``python -m hvpscore.datasets [PATH]``: (re)write the synthetic sample stock.

Writes ``data/sample/patents.csv`` (or PATH) from fixed arguments (``SAMPLE_ARGS``: 3,000 rows,
fixed seed, as_of 2025-12-31); running it twice gives the same bytes.
"""

from __future__ import annotations

import argparse

from hvpscore.datasets._sample import SAMPLE_ARGS, write_sample


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m hvpscore.datasets", description=__doc__)
    parser.add_argument("path", nargs="?", default="data/sample/patents.csv",
                        help="where to write the sample CSV (default: data/sample/patents.csv)")
    path = write_sample(parser.parse_args(argv).path)
    print(f"wrote {path} ({path.stat().st_size / 1e6:.2f} MB, {SAMPLE_ARGS['n']} synthetic rows, "
          f"seed {SAMPLE_ARGS['seed']}, as_of {SAMPLE_ARGS['as_of']})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
