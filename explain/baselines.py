"""The baseline forecasting methods CRMs use today, and the product's model behind the same interface.

Each predicts, for a deal open at a snapshot, the chance it is won by the end of the snapshot's quarter.
``fit(rows, features)`` takes (deal, snapshot) rows with the label ``won_in_quarter``; ``predict(rows)``
returns probabilities. See ``explain/backtest.py`` for how they are compared.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from data_access.vocabulary import STAGES
from explain.model import ForecastModel

METHODS = ("model", "stage_weighted", "stage_weighted_fixed", "naive_bayes", "stage_week_winrate")
TARGET = "won_in_quarter"

# SuiteCRM's default probabilities (Qualification 20, Needs Analysis 25, Value Proposition 30,
# Id. Decision Makers 40, Proposal/Price Quote 65, Negotiation/Review 80) on our stages.
FIXED_STAGE_PROBABILITY = dict(zip(STAGES, (0.20, 0.25, 0.30, 0.40, 0.65, 0.80), strict=True))
_SMOOTHING = 10.0  # pseudo-deals pulling a sparse rate towards its parent rate


def _smoothed(rows: pd.DataFrame, keys: list[str], prior: pd.Series | float) -> pd.Series:
    g = rows.groupby(keys, observed=True)[TARGET].agg(["sum", "count"])
    parent = prior if np.isscalar(prior) else prior.reindex(g.index.get_level_values(0)).to_numpy()
    return (g["sum"] + _SMOOTHING * parent) / (g["count"] + _SMOOTHING)


def _week_of_quarter(rows: pd.DataFrame) -> np.ndarray:
    left = rows.days_left_in_quarter.to_numpy(float)
    return np.where(np.isnan(left), -1, np.clip((91 - np.nan_to_num(left)) // 7, 0, 13)).astype(int)


class StageWeighted:
    def fit(self, rows: pd.DataFrame, features: list[str]) -> StageWeighted:
        self.base = float(rows[TARGET].mean())
        self.rate = _smoothed(rows, ["stage_index"], self.base)
        return self

    def predict(self, rows: pd.DataFrame) -> np.ndarray:
        return rows.stage_index.map(self.rate).fillna(self.base).to_numpy(float)


class StageWeightedFixed:
    def fit(self, rows: pd.DataFrame, features: list[str]) -> StageWeightedFixed:
        return self

    def predict(self, rows: pd.DataFrame) -> np.ndarray:
        table = np.array([FIXED_STAGE_PROBABILITY[s] for s in STAGES])
        p = table[rows.stage_index.to_numpy(int)]
        to_close = rows.days_to_expected_close.to_numpy(float)
        this_quarter = np.isnan(to_close) | (to_close <= rows.days_left_in_quarter.to_numpy(float))
        return np.where(this_quarter, p, 0.0)


class StageWeekWinRate:
    def fit(self, rows: pd.DataFrame, features: list[str]) -> StageWeekWinRate:
        self.base = float(rows[TARGET].mean())
        self.stage = _smoothed(rows, ["stage_index"], self.base)
        self.cell = _smoothed(rows.assign(week=_week_of_quarter(rows)), ["stage_index", "week"], self.stage)
        return self

    def predict(self, rows: pd.DataFrame) -> np.ndarray:
        idx = pd.MultiIndex.from_arrays([rows.stage_index.to_numpy(), _week_of_quarter(rows)])
        p = self.cell.reindex(idx).to_numpy(float)
        fallback = rows.stage_index.map(self.stage).fillna(self.base).to_numpy(float)
        return np.where(np.isnan(p), fallback, p)


class NaiveBayes:
    """P(won) proportional to P(won) x product over fields of P(field value | won), Laplace-smoothed."""

    def _codes(self, rows: pd.DataFrame, name: str) -> np.ndarray:
        col = rows[name]
        if name in self.edges:
            v = col.to_numpy(float)
            return np.where(np.isnan(v), -1, np.searchsorted(self.edges[name], v, side="right"))
        return col.astype(object).fillna("(missing)").astype(str).to_numpy()

    def fit(self, rows: pd.DataFrame, features: list[str]) -> NaiveBayes:
        self.features = features
        self.edges = {
            f: np.unique(np.nanquantile(rows[f].to_numpy(float), [0.2, 0.4, 0.6, 0.8]))
            for f in features
            if pd.api.types.is_numeric_dtype(rows[f])
            and not isinstance(rows[f].dtype, pd.CategoricalDtype)
            and rows[f].notna().any()
        }
        y = rows[TARGET].to_numpy(int)
        self.n = np.bincount(y, minlength=2).astype(float)
        self.tables = {}
        for f in features:
            counts = pd.crosstab(self._codes(rows, f), y).reindex(columns=[0, 1], fill_value=0)
            self.tables[f] = counts
        return self

    def predict(self, rows: pd.DataFrame) -> np.ndarray:
        logit = np.full(len(rows), np.log(self.n[1] / self.n[0]))
        for f in self.features:
            counts = self.tables[f]
            values = len(counts) + 1  # one more for values never seen in training
            c = counts.reindex(self._codes(rows, f)).fillna(0.0).to_numpy(float)
            logit += np.log((c[:, 1] + 1) / (self.n[1] + values)) - np.log(
                (c[:, 0] + 1) / (self.n[0] + values)
            )
        return 1.0 / (1.0 + np.exp(-logit))


class Model:
    def fit(self, rows: pd.DataFrame, features: list[str]) -> Model:
        self.model = ForecastModel.train(rows, features, targets=(TARGET,))
        return self

    def predict(self, rows: pd.DataFrame) -> np.ndarray:
        return self.model.predict(rows, TARGET)


BUILDERS = {
    "model": Model,
    "stage_weighted": StageWeighted,
    "stage_weighted_fixed": StageWeightedFixed,
    "naive_bayes": NaiveBayes,
    "stage_week_winrate": StageWeekWinRate,
}
