"""Support measures of the plan as a dated rule table, support lists and a budget mode.

- :func:`load_measures` — the measures (``data/measures.yaml``: amount, cap, eligibility rule,
  one payment per family, validity dates, source passage); ``as_of=`` keeps those in force
- :func:`support_list` — which patents, owners and inventors qualify for which measure, and why
- :func:`allocate_budget` — split a budget of one measure by score, with an explanation per line

The shipped measures are those of the Chongqing 2022–2024 plan (渝府办发〔2022〕41号), valid
2022-03-25 … 2024-12-31; national policy (国知发保字〔2021〕1号) ends per-grant subsidies before 2025.
"""

from hvpscore.support._lists import LINE_COLUMNS, allocate_budget, support_list
from hvpscore.support._measures import LEVELS, Measure, load_measures, measure_constraints

__all__ = ["LEVELS", "LINE_COLUMNS", "Measure", "allocate_budget", "load_measures",
           "measure_constraints", "support_list"]
