"""MLflow "models from code" entry point: defines the pyfunc model without pickling it."""

import mlflow.models

from hvpscore.mlflow import HvpscorePyfunc

mlflow.models.set_model(HvpscorePyfunc())
