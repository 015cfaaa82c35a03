"""The forecast models: XGBoost win probability and win-within-the-quarter, Platt-calibrated.

A ``ForecastModel`` is trained on (deal, snapshot) rows whose outcome was known, saved as JSON (no
pickle: the database may be shared) and explains itself with exact tree SHAP (``pred_contribs``,
identical to shap.TreeExplainer), converted to probability points so contributions add up to the
deal's calibrated probability minus the average deal's.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import xgboost as xgb
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import brier_score_loss, roc_auc_score

PARAMS = {
    "objective": "binary:logistic",
    "eval_metric": "logloss",
    "max_depth": 3,
    "eta": 0.1,
    "subsample": 0.8,
    "colsample_bytree": 0.8,
    "min_child_weight": 5,
    "tree_method": "hist",
    "max_cat_to_onehot": 8,
    "nthread": 2,
    "seed": 0,
}
# Depth 3 x 150 trees: same hold-out AUC as depth 4 x 150 on the sample (0.924 both) at ~1/3 of the
# SHAP cost, which is what bounds scoring a million deals (measured with benchmarks/generate.py).
ROUNDS = 150
TARGETS = ("won_in_quarter", "won")


@dataclass
class _Head:
    """One calibrated booster."""

    booster: xgb.Booster
    slope: float
    intercept: float

    def margin(self, dm: xgb.DMatrix) -> np.ndarray:
        return self.booster.predict(dm, output_margin=True)

    def calibrate(self, margin: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-(self.slope * margin + self.intercept)))


@dataclass
class ForecastModel:
    features: list[str]
    categories: dict[str, list[str]]
    heads: dict[str, _Head] = field(default_factory=dict)
    metrics: dict[str, dict[str, float]] = field(default_factory=dict)

    # -- data -------------------------------------------------------------------------------------
    def matrix(self, frame: pd.DataFrame) -> xgb.DMatrix:
        x = frame[self.features].copy()
        for name, cats in self.categories.items():
            x[name] = pd.Categorical(x[name].astype(object), categories=cats)
        return xgb.DMatrix(x, enable_categorical=True, nthread=PARAMS["nthread"])

    # -- training ---------------------------------------------------------------------------------
    @classmethod
    def train(
        cls,
        rows: pd.DataFrame,
        features: list[str],
        snapshot_col: str = "snapshot_date",
        targets: tuple[str, ...] = TARGETS,
    ) -> ForecastModel:
        """Fit each target on the earlier 80% of snapshots, calibrate and score on the later 20%."""
        categorical = [
            f
            for f in features
            if isinstance(rows[f].dtype, pd.CategoricalDtype) or not pd.api.types.is_numeric_dtype(rows[f])
        ]
        categories = {
            f: sorted(map(str, pd.Series(rows[f]).dropna().astype(object).unique())) for f in categorical
        }
        model = cls(features=list(features), categories=categories)
        for target in targets:
            known = rows[rows[target].notna()]
            if known[target].nunique() < 2:
                if target != targets[0]:  # e.g. a lead funnel that records wins but no losses
                    model.metrics[target] = {"skipped": f"every known outcome of {target!r} is the same"}
                    continue
                raise ValueError(f"cannot train: every known outcome of {target!r} is the same")
            dates = np.sort(known[snapshot_col].unique())
            cut = dates[max(1, int(len(dates) * 0.8)) - 1] if len(dates) > 1 else dates[0]
            fit, hold = known[known[snapshot_col] <= cut], known[known[snapshot_col] > cut]
            if (
                len(hold) < 50 or hold[target].nunique() < 2
            ):  # too little history to hold out: calibrate in-sample
                hold = fit
            train_matrix = model.matrix(fit)
            train_matrix.set_label(fit[target].to_numpy())
            booster = xgb.train(PARAMS, train_matrix, ROUNDS)
            margin = booster.predict(model.matrix(hold), output_margin=True)
            platt = LogisticRegression(C=1e6).fit(margin.reshape(-1, 1), hold[target].to_numpy())
            head = _Head(booster, float(platt.coef_[0, 0]), float(platt.intercept_[0]))
            model.heads[target] = head
            p = head.calibrate(margin)
            y = hold[target].to_numpy()
            model.metrics[target] = {
                "holdout_rows": len(hold),
                "auc": float(roc_auc_score(y, p)),
                "brier": float(brier_score_loss(y, p)),
                "base_rate": float(y.mean()),
            }
        return model

    # -- prediction and explanation ---------------------------------------------------------------
    def predict(self, frame: pd.DataFrame, target: str) -> np.ndarray:
        head = self.heads[target]
        return head.calibrate(head.margin(self.matrix(frame)))

    def explain(self, frame: pd.DataFrame, target: str) -> tuple[np.ndarray, np.ndarray, float]:
        """Calibrated probability, per-feature contributions (probability points) and the base probability.

        Tree SHAP works in log-odds; each deal's log-odds contributions are scaled so they add up to
        its calibrated probability minus the base (average deal's) probability.
        """
        head = self.heads[target]
        contribs = head.booster.predict(self.matrix(frame), pred_contribs=True)
        phi, bias = contribs[:, :-1], contribs[:, -1]
        margin = phi.sum(axis=1) + bias
        p = head.calibrate(margin)
        p_base = head.calibrate(bias)
        total = phi.sum(axis=1)
        scale = np.divide(p - p_base, total, out=np.zeros_like(total), where=np.abs(total) > 1e-9)
        return p, phi * scale[:, None], float(np.median(p_base))

    # -- persistence ------------------------------------------------------------------------------
    def to_json(self) -> bytes:
        heads = {
            name: {
                "booster": base64.b64encode(bytes(h.booster.save_raw("ubj"))).decode(),
                "slope": h.slope,
                "intercept": h.intercept,
            }
            for name, h in self.heads.items()
        }
        return json.dumps(
            {
                "features": self.features,
                "categories": self.categories,
                "heads": heads,
                "metrics": self.metrics,
            }
        ).encode()

    @classmethod
    def from_json(cls, payload: bytes) -> ForecastModel:
        data = json.loads(payload)
        model = cls(features=data["features"], categories=data["categories"], metrics=data["metrics"])
        for name, h in data["heads"].items():
            booster = xgb.Booster(params={"nthread": PARAMS["nthread"]})
            booster.load_model(bytearray(base64.b64decode(h["booster"])))
            model.heads[name] = _Head(booster, h["slope"], h["intercept"])
        return model
