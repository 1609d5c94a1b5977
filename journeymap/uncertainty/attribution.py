"""Each range's share of a figure's variance: first-order Sobol indices from the draws.

The first-order index of input ``i`` is ``Var(E[Y | X_i]) / Var(Y)``: the share of the
variance that knowing ``X_i`` alone would remove. It is estimated from the same draws the
intervals use, with no extra solves (a *given-data* estimator): each input's draws are
split into ``M`` equal strata (``M`` about the square root of the draws; a Latin
hypercube puts the same number of draws in each), and the variance of the strata's means
estimates ``Var(E[Y | X_i])``. The strata's means vary by chance even where ``X_i`` does
nothing, by about ``(M − 1) / N`` of the variance within strata; that bias is taken off,
and the index clipped to [0, 1]. ``benchmarks/uncertainty.py`` measures its error against
SALib's Saltelli estimator on the bundled examples.
"""

from __future__ import annotations

import math

import numpy as np

from journeymap.markov.chain import Floats


def strata(draws: int) -> int:
    """How many strata to split ``draws`` draws into: about their square root, at least 2."""
    return max(2, round(math.sqrt(draws)))


def first_order(inputs: Floats, outputs: Floats) -> Floats:
    """First-order index of each column of ``inputs`` (draws in [0, 1)) for ``outputs``."""
    draws, count = inputs.shape
    if draws < 4:
        return np.zeros(count)
    variance = float(outputs.var())
    if variance <= 1e-300 or not np.isfinite(variance):
        return np.zeros(count)
    m = strata(draws)
    out = np.zeros(count)
    mean = outputs.mean()
    for i in range(count):
        stratum = np.minimum((inputs[:, i] * m).astype(np.int64), m - 1)
        sizes = np.bincount(stratum, minlength=m).astype(float)
        sums = np.bincount(stratum, weights=outputs, minlength=m)
        filled = sizes > 0
        means = np.zeros(m)
        means[filled] = sums[filled] / sizes[filled]
        between = float((sizes * (means - mean) ** 2).sum()) / draws
        within = float(((outputs - means[stratum]) ** 2).sum()) / max(draws - int(filled.sum()), 1)
        estimate = (between - (int(filled.sum()) - 1) / draws * within) / variance
        out[i] = min(1.0, max(0.0, estimate))
    return out
