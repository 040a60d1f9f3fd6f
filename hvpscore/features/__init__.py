"""Features for the model heads: scikit-learn transformers grouped by family, each feature tagged
with the earliest stage at which it is known (``draft`` < ``filing`` < ``grant`` < ``stock``).

``make_features(stage)`` returns the pipeline for a stage; it never contains a later-stage feature.
"""

from hvpscore.features._registry import (
    DIMENSION_LABELS,
    DIMENSIONS,
    FAMILIES,
    FeatureSpec,
    feature_spec,
    feature_specs,
    format_value,
)
from hvpscore.features._transformers import (
    CitationFeatures,
    ClaimFeatures,
    FamilyRouteFeatures,
    FeatureFamily,
    FeatureMemo,
    HistoryFeatures,
    IpcFeatures,
    OwnerFeatures,
    ProsecutionFeatures,
    TimeFeatures,
    features_from_state,
    features_state,
    fit_features,
    make_features,
    transform_features,
)

__all__ = [
    "DIMENSIONS",
    "DIMENSION_LABELS",
    "FAMILIES",
    "CitationFeatures",
    "ClaimFeatures",
    "FamilyRouteFeatures",
    "FeatureFamily",
    "FeatureMemo",
    "FeatureSpec",
    "HistoryFeatures",
    "IpcFeatures",
    "OwnerFeatures",
    "ProsecutionFeatures",
    "TimeFeatures",
    "feature_spec",
    "feature_specs",
    "features_from_state",
    "features_state",
    "fit_features",
    "format_value",
    "make_features",
    "transform_features",
]
