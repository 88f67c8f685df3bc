"""The bent transparent model's numbers: a shape per feature, piecewise linear between knots, summed to a logit.

A feature's shape is a sum of ramps, one per interval between its knots (the quantiles of its training
values): a ramp rises from 0 at the interval's left knot to 1 at its right knot, so the shape is continuous,
straight within an interval, and flat beyond the outer knots. The ramps' weights (`slopes`) are what was fitted;
each carries the sign research and law give the feature, so a shape never turns against its direction
(monotone), where the linear model has to drop such a feature. A student's contribution of a feature is the
shape at their value minus the shape's mean over the training rows, and the contributions add up, with the
intercept, exactly to the logit: the same arithmetic a reader does with the linear model's card.
Only numpy here, so scoring stays light; fitting is in `riskscreen.training.additive_fit`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from riskscreen.errors import ModelError, msg


def ramps(x: np.ndarray, knots: np.ndarray) -> np.ndarray:
    """One column per interval between consecutive knots: 0 left of it, 1 right of it, straight in between."""
    left, right = knots[:-1], knots[1:]
    return np.clip((x[:, None] - left[None, :]) / (right - left)[None, :], 0.0, 1.0)


@dataclass(frozen=True)
class AdditiveParameters:
    """An additive model's numbers: per feature its median (imputation), mean value, knots, ramp weights and the
    mean of its shape over the training rows; the intercept is the logit of a student at every mean."""

    features: tuple[str, ...]
    medians: np.ndarray
    means: np.ndarray
    knots: tuple[np.ndarray, ...]
    slopes: tuple[np.ndarray, ...]
    offsets: np.ndarray
    intercept: float

    kind = "additive"

    def imputed(self, x: np.ndarray) -> np.ndarray:
        return np.where(np.isnan(x), self.medians[None, :], x)

    def shapes(self, x: np.ndarray) -> np.ndarray:
        """Each feature's shape at each row's value (before centring)."""
        x = self.imputed(x)
        columns = [ramps(x[:, j], k) @ s for j, (k, s) in enumerate(zip(self.knots, self.slopes, strict=True))]
        return np.column_stack(columns) if columns else np.zeros((len(x), 0))

    def contributions(self, x: np.ndarray) -> np.ndarray:
        return self.shapes(x) - self.offsets[None, :]

    def logits(self, x: np.ndarray) -> np.ndarray:
        return self.contributions(x).sum(axis=1) + self.intercept

    def scaled(self, a: float, b: float) -> AdditiveParameters:
        """The same model with its logit multiplied by a and moved by b (Platt scaling): the shapes scale with a,
        so the contributions still add up exactly."""
        return AdditiveParameters(
            self.features,
            self.medians,
            self.means,
            self.knots,
            tuple(s * a for s in self.slopes),
            self.offsets * a,
            self.intercept * a + b,
        )

    def shape_points(self, j: int) -> list[tuple[float, float]]:
        """A feature's shape at its knots, as contributions: the table a reader interpolates in."""
        k = self.knots[j]
        at_knots = ramps(k, k) @ self.slopes[j] - self.offsets[j]
        return [(float(v), float(c)) for v, c in zip(k, at_knots, strict=True)]

    def as_dict(self) -> dict[str, object]:
        """Full precision (JSON floats round-trip exactly), for the card."""
        return {
            "kind": "additive",
            "features": list(self.features),
            "medians": self.medians.tolist(),
            "means": self.means.tolist(),
            "knots": [k.tolist() for k in self.knots],
            "slopes": [s.tolist() for s in self.slopes],
            "offsets": self.offsets.tolist(),
            "intercept": self.intercept,
        }

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> AdditiveParameters:
        features = tuple(str(f) for f in data["features"])  # type: ignore[attr-defined]
        knots = tuple(np.asarray(k, dtype=float) for k in data["knots"])  # type: ignore[attr-defined]
        slopes = tuple(np.asarray(s, dtype=float) for s in data["slopes"])  # type: ignore[attr-defined]
        arrays = {k: np.asarray(data[k], dtype=float) for k in ("medians", "means", "offsets")}
        n = len(features)
        if (
            not all(a.shape == (n,) for a in arrays.values())
            or len(knots) != n
            or len(slopes) != n
            or any(
                k.size < 2 or s.shape != (k.size - 1,) or np.any(np.diff(k) <= 0)
                for k, s in zip(knots, slopes, strict=True)
            )
        ):
            raise ModelError(msg("the card's scoring parameters do not match its features"))
        return cls(
            features,
            knots=knots,
            slopes=slopes,
            intercept=float(data["intercept"]),  # type: ignore[arg-type]
            **arrays,
        )
