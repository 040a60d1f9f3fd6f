"""Plan indicators of a patent stock against targets, a forecast of the high-value count, and
the top-100 lists of holders and inventors.

- :func:`compute_indicators` — indicators by region and owner type (CNIPA layout), criteria
  counts, value / target / gap / status, year over year (:class:`Indicators`)
- :func:`load_context` / :func:`load_targets` — denominators by region and year; target files
  (shipped: ``chongqing-2022-2024``, each target with its passage of 渝府办发〔2022〕41号)
- :func:`forecast_high_value` / :func:`count_interval` — expected count at a future date with an
  interval (sum of Bernoullis from the heads' calibrated probabilities)
- :func:`top_holders` / :func:`top_inventors` — name normalisation (:func:`name_key`), aliases
  (:func:`load_aliases`), competition ranking
- :func:`read_scores` — a score table written by ``hvpscore score`` read back

Definitions are data: ``data/indicators.yaml`` (what each indicator counts, domestic-only
defaults), ``data/owner_types.yaml`` (CNIPA owner classes), ``data/regions.yaml`` (domestic
divisions), ``data/names.yaml`` (normalisation rules).
"""

from hvpscore.indicators._compute import (
    ALL_REGIONS,
    INDICATORS,
    Indicators,
    compute_indicators,
)
from hvpscore.indicators._context import CONTEXT_FIELDS, Context, ContextValue, load_context
from hvpscore.indicators._forecast import (
    CountForecast,
    Forecast,
    count_distribution,
    count_interval,
    forecast_high_value,
    life_table,
)
from hvpscore.indicators._lists import (
    holders_from_stock,
    inventors_from_stock,
    top_holders,
    top_inventors,
)
from hvpscore.indicators._names import Aliases, load_aliases, name_key
from hvpscore.indicators._scores import read_scores
from hvpscore.indicators._stock import build_stock
from hvpscore.indicators._targets import Target, Targets, load_targets, shipped_targets

__all__ = [
    "ALL_REGIONS",
    "CONTEXT_FIELDS",
    "INDICATORS",
    "Aliases",
    "Context",
    "ContextValue",
    "CountForecast",
    "Forecast",
    "Indicators",
    "Target",
    "Targets",
    "build_stock",
    "compute_indicators",
    "count_distribution",
    "count_interval",
    "forecast_high_value",
    "holders_from_stock",
    "inventors_from_stock",
    "life_table",
    "load_aliases",
    "load_context",
    "load_targets",
    "name_key",
    "read_scores",
    "shipped_targets",
    "top_holders",
    "top_inventors",
]
