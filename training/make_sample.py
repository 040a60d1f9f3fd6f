"""Regenerate the synthetic sample stock ``data/sample/patents.csv``.

    python training/make_sample.py            # or: python -m hvpscore.datasets

Fixed seed and as_of (``hvpscore.datasets._sample.SAMPLE_ARGS``), so the file is reproducible
byte for byte. Every record is synthetic.
"""

from __future__ import annotations

from pathlib import Path

from hvpscore.datasets.__main__ import main

if __name__ == "__main__":
    raise SystemExit(main([str(Path(__file__).resolve().parents[1] / "data/sample/patents.csv")]))
