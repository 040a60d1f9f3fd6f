"""Benchmark of the claims analysis (issue 3). Prints measured figures against the targets.

* batch: parse + claim features for >= 100,000 generated Chinese claims texts (about 1,500
  characters, 10-20 claims each) on one core; target >= 20,000 texts per second (issue 9).
* per lane and language, on one core (CPU time): the Chinese fast lane, the general path, the
  ``hvpscore.datasets`` Chinese / English claim sets and stock texts, and cache hits
  (:class:`hvpscore.claims.ClaimFeatureCache`: a rescoring of the same texts).
* single draft: the full analysis with findings (spaCy blank pipeline) of a 20-claim draft;
  target <= 20 ms.

Usage: python benchmarks/bench_claims.py [--n 100000] [--drafts 200] [--seed 0]
"""

from __future__ import annotations

import argparse
import statistics
import time

import pandas as pd

from hvpscore.claims import analyze_claims, claim_features
from hvpscore.claims._features import _fast_zh
from hvpscore.claims._synth import generate_claims
from hvpscore.claims._text import normalise

BATCH_TARGET = 20_000  # texts per second, one core (issue 9)
DRAFT_TARGET_MS = 20.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=100_000, help="number of generated texts")
    ap.add_argument("--drafts", type=int, default=200, help="20-claim drafts to time")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()

    t = time.perf_counter()
    gen = generate_claims(args.n, seed=args.seed)
    texts = pd.Series([g.text for g in gen])
    print(
        f"generated {len(texts):,} texts in {time.perf_counter() - t:.1f} s; "
        f"mean length {texts.str.len().mean():.0f} chars, "
        f"claims {min(g.n_claims for g in gen)}-{max(g.n_claims for g in gen)} "
        f"(mean {statistics.mean(g.n_claims for g in gen):.1f})"
    )
    sample = texts.iloc[:5000]
    fast_share = sum(_fast_zh(normalise(x)) is not None for x in sample) / len(sample)
    print(f"fast lane share (first 5,000 texts): {fast_share:.1%}")

    claim_features(texts.iloc[:100])  # warm caches
    w0, c0 = time.perf_counter(), time.process_time()
    feats = claim_features(texts)
    wall, cpu = time.perf_counter() - w0, time.process_time() - c0
    assert len(feats) == len(texts)
    rate_wall, rate_cpu = len(texts) / wall, len(texts) / cpu
    print(
        f"batch parse + features: {rate_wall:,.0f} texts/s wall, {rate_cpu:,.0f} texts/s CPU "
        f"(target {BATCH_TARGET:,}/s): ratio {rate_wall / BATCH_TARGET:.2f} wall, "
        f"{rate_cpu / BATCH_TARGET:.2f} CPU"
    )

    # the general path (any layout the fast lane does not take), for reference
    from hvpscore.claims._features import features_one

    c0 = time.process_time()
    for x in sample:
        features_one(x, fast=False)
    rate_general = len(sample) / (time.process_time() - c0)
    print(f"general path alone (no fast lane), same texts: {rate_general:,.0f} texts/s CPU")

    _lanes(texts.iloc[:5000], args.seed)

    drafts = [
        g.text for g in generate_claims(args.drafts * 8, seed=args.seed + 1) if g.n_claims == 20
    ][: args.drafts]
    analyze_claims(drafts[0])  # load the spaCy pipeline and matchers once
    times = []
    n_findings = 0
    for d in drafts:
        t = time.perf_counter()
        cs = analyze_claims(d)
        times.append((time.perf_counter() - t) * 1000)
        n_findings += len(cs.findings)
    med = statistics.median(times)
    p95 = sorted(times)[int(0.95 * (len(times) - 1))]
    print(
        f"single 20-claim draft, full analysis: median {med:.1f} ms, p95 {p95:.1f} ms "
        f"(target {DRAFT_TARGET_MS:.0f} ms): ratio {med / DRAFT_TARGET_MS:.2f}; "
        f"{len(drafts)} drafts, {n_findings / len(drafts):.1f} findings each"
    )


def _cpu_rate(f, items) -> float:
    best = float("inf")
    for _ in range(3):  # best of three: the machine is shared
        c0 = time.process_time()
        f(items)
        best = min(best, time.process_time() - c0)
    return len(items) / best


def _lanes(synth: pd.Series, seed: int) -> None:
    """texts/s per lane and language, one core, measured in this run."""
    import tempfile
    from pathlib import Path

    from hvpscore.claims import ClaimFeatureCache
    from hvpscore.claims._features import features_one
    from hvpscore.datasets import make_claims_texts, make_patents

    zh = make_claims_texts(3000, seed=seed, lang="zh")["claims_text"]
    en = make_claims_texts(2000, seed=seed, lang="en")["claims_text"]
    stock = make_patents(3000, seed=seed)["claims_text"].dropna()
    sets = [("zh synthetic (claims._synth)", synth), ("zh hvpscore.datasets claim sets", zh),
            ("zh hvpscore.datasets stock", stock), ("en hvpscore.datasets claim sets", en)]
    print("per lane, texts/s on one core (CPU time, best of 3):")
    for name, s in sets:
        items = s.tolist()
        fast = _cpu_rate(lambda xs: [features_one(x) for x in xs], items)
        general = _cpu_rate(lambda xs: [features_one(x, fast=False) for x in xs], items)
        # texts the lane hands to the general path (each costs it several lane texts)
        passed = sum(_fast_zh(normalise(x)) is None for x in items if isinstance(x, str))
        print(f"  {name:34} batch lane {fast:9,.0f}   general path {general:9,.0f}   "
              f"passed on {passed / len(items):6.1%}")
    with tempfile.TemporaryDirectory() as d:
        cache = ClaimFeatureCache(Path(d) / "c.sqlite")
        claim_features(synth, cache=cache)  # fill
        hit = _cpu_rate(lambda xs: claim_features(xs, cache=cache), synth)
        print(f"  {'cache hits (same texts again)':34} {hit:9,.0f}  ({cache.hits:,} hits)")


if __name__ == "__main__":
    main()
