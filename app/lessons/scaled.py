"""The scaled dot-product lesson (§3.2.1): a soft dictionary, and why √d_k.

1. **A soft dictionary.** A Python ``dict`` returns the value of the *one*
   key that matches. Attention compares the query with *every* key
   (score = q·k), turns the scores into weights that sum to 1 (softmax), and
   returns the weighted mix of the values — a look-up that blends.

2. **Why divide by √d_k.** If q and k have d_k independent components of
   mean 0 and variance 1, then q·k = Σ q_i k_i has variance d_k (§3.2.1,
   footnote 4). With d_k = 512 the scores spread over ±50; the softmax of
   such scores is nearly one-hot, and its gradient
   ∂softmax/∂scores = diag(p) − p pᵀ is nearly 0 — "regions where it has
   extremely small gradients". Dividing by √d_k brings the variance back to 1.

3. **Four scoring functions** on the same vectors (§3.2.1 compares the
   first three with additive attention):

   * dot (Luong et al., 2015):            q·k
   * scaled dot (this paper):             q·k / √d_k
   * general (Luong et al., 2015):        qᵀ W k
   * additive (Bahdanau et al., 2015):    vᵀ tanh(W₁ q + W₂ k)
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

# A four-entry "dictionary": 2-D keys (unit vectors at 0°, 90°, 180°, 270°)
# and one number per value, so the weighted mix is easy to check by hand.
LOOKUP_KEYS = np.array([[1.0, 0.0], [0.0, 1.0], [-1.0, 0.0], [0.0, -1.0]])  # (4 keys, 2)
LOOKUP_VALUES = np.array([10.0, 20.0, 30.0, 40.0])  # (4,)
LOOKUP_NAMES = ["k₁", "k₂", "k₃", "k₄"]

D_K_CHOICES = [2**i for i in range(11)]  # 1 … 1024
SCORING_FUNCTIONS = ("dot", "scaled", "general", "additive")


def softmax(scores: np.ndarray) -> np.ndarray:
    """Row-wise softmax, numerically stable (subtract the row maximum first)."""
    scores = np.asarray(scores, dtype=np.float64)
    exp = np.exp(scores - scores.max(-1, keepdims=True))
    return exp / exp.sum(-1, keepdims=True)


def entropy_bits(weights: np.ndarray) -> np.ndarray:
    """Entropy of each row in bits: 0 = all weight on one key, log2(n) = uniform."""
    p = np.clip(weights, 1e-300, 1.0)
    return -(weights * np.log2(p)).sum(-1)


def softmax_gradient_norm(weights: np.ndarray) -> np.ndarray:
    """‖∂softmax(s)/∂s‖ (Frobenius) of each row, from its weights p.

    The Jacobian is J = diag(p) − p pᵀ, so ‖J‖² = Σ_i p_i² (1 − p_i)² + Σ_{i≠j} p_i² p_j².
    It is largest for spread-out weights and 0 for a one-hot p: a saturated
    softmax passes (almost) no gradient back to the scores.
    """
    p = np.asarray(weights, dtype=np.float64)
    sq = (p**2).sum(-1)
    diag = (p**2 * (1 - p) ** 2).sum(-1)
    off = sq**2 - (p**4).sum(-1)  # Σ_{i≠j} p_i² p_j²
    return np.sqrt(np.maximum(diag + off, 0.0))  # rounding can dip just below 0 for a one-hot p


# ----------------------------------------------------------- 1. soft dictionary
@dataclass
class Lookup:
    """One query against a small dictionary.

    Attributes:
        query: ``(d,)``.
        keys: ``(n, d)``; values: ``(n,)``.
        scores: ``(n,)`` q·k_i (divided by √d when ``scaled``).
        weights: ``(n,)`` softmax of the scores; they sum to 1.
        output: Σ_i weights_i · values_i, the blended answer.
        nearest: index of the key a hard ``dict`` look-up would pick (highest score).
    """

    query: np.ndarray
    keys: np.ndarray
    values: np.ndarray
    scores: np.ndarray
    weights: np.ndarray
    output: float
    nearest: int


def query_vector(angle_degrees: float, length: float) -> np.ndarray:
    """A 2-D query pointing at ``angle_degrees`` with norm ``length``."""
    a = math.radians(angle_degrees)
    return np.array([length * math.cos(a), length * math.sin(a)])


def dictionary_lookup(
    query: np.ndarray,
    keys: np.ndarray = LOOKUP_KEYS,
    values: np.ndarray = LOOKUP_VALUES,
    scaled: bool = True,
) -> Lookup:
    """Attention as a soft dictionary: softmax(q·K / √d) · V for one query (equation 1)."""
    query = np.asarray(query, dtype=np.float64)
    scores = keys @ query  # (n,)
    if scaled:
        scores = scores / math.sqrt(keys.shape[1])
    weights = softmax(scores)
    return Lookup(query, keys, values, scores, weights, float(weights @ values), int(np.argmax(scores)))


# ------------------------------------------------------------- 2. why √d_k
@dataclass
class ScalingStats:
    """What random scores do to the softmax at one d_k, without and with scaling.

    Every field holds the mean over ``trials`` random queries, each scored
    against ``n_keys`` random keys with N(0, 1) components.

    Attributes:
        d_k: dimensions of q and k.
        dots: ``(trials, n_keys)`` the unscaled products q·k.
        std_unscaled, std_scaled: spread of q·k and of q·k/√d_k (≈ √d_k and ≈ 1).
        max_weight_unscaled, max_weight_scaled: mean largest softmax weight.
        entropy_unscaled, entropy_scaled: mean softmax entropy in bits.
        gradient_unscaled, gradient_scaled: mean ‖∂softmax/∂scores‖.
    """

    d_k: int
    n_keys: int
    dots: np.ndarray
    std_unscaled: float
    std_scaled: float
    max_weight_unscaled: float
    max_weight_scaled: float
    entropy_unscaled: float
    entropy_scaled: float
    gradient_unscaled: float
    gradient_scaled: float


def random_dots(d_k: int, n_keys: int = 16, trials: int = 256, seed: int = 0) -> np.ndarray:
    """``(trials, n_keys)`` products q·k of random vectors with N(0, 1) components."""
    rng = np.random.default_rng([seed, d_k])
    q = rng.standard_normal((trials, 1, d_k), dtype=np.float32)  # (trials, 1, d_k)
    k = rng.standard_normal((trials, n_keys, d_k), dtype=np.float32)  # (trials, n_keys, d_k)
    return (q * k).sum(-1, dtype=np.float64)  # (trials, n_keys)


def scaling_stats(d_k: int, n_keys: int = 16, trials: int = 256, seed: int = 0) -> ScalingStats:
    """Softmax statistics of random scores at ``d_k``, unscaled vs divided by √d_k."""
    if d_k < 1:
        raise ValueError(f"d_k must be ≥ 1, got {d_k}")
    dots = random_dots(d_k, n_keys, trials, seed)
    scaled = dots / math.sqrt(d_k)
    w_u, w_s = softmax(dots), softmax(scaled)
    return ScalingStats(
        d_k=d_k,
        n_keys=n_keys,
        dots=dots,
        std_unscaled=float(dots.std()),
        std_scaled=float(scaled.std()),
        max_weight_unscaled=float(w_u.max(-1).mean()),
        max_weight_scaled=float(w_s.max(-1).mean()),
        entropy_unscaled=float(entropy_bits(w_u).mean()),
        entropy_scaled=float(entropy_bits(w_s).mean()),
        gradient_unscaled=float(softmax_gradient_norm(w_u).mean()),
        gradient_scaled=float(softmax_gradient_norm(w_s).mean()),
    )


def scaling_curve(d_ks: Sequence[int] = D_K_CHOICES, n_keys: int = 16, trials: int = 256, seed: int = 0) -> list[ScalingStats]:
    """``scaling_stats`` for every d_k in ``d_ks`` (same seed → comparable)."""
    return [scaling_stats(d, n_keys, trials, seed) for d in d_ks]


# ------------------------------------------------------ 3. scoring functions
@dataclass
class ScoringSetup:
    """The same queries and keys for all four scoring functions, plus the learned
    matrices that ``general`` and ``additive`` need (random here, trained in a model).

    Attributes:
        queries: ``(n_q, d)``; keys: ``(n_k, d)``, N(0, 1) components.
        w_general: ``(d, d)`` for qᵀ W k, N(0, 1/d).
        w_query, w_key: ``(d_a, d)`` for W₁ q and W₂ k, N(0, 1/d).
        v: ``(d_a,)`` for vᵀ tanh(…), N(0, 1/d_a).
    """

    queries: np.ndarray
    keys: np.ndarray
    w_general: np.ndarray
    w_query: np.ndarray
    w_key: np.ndarray
    v: np.ndarray


def scoring_setup(d: int, n_queries: int = 4, n_keys: int = 6, seed: int = 0) -> ScoringSetup:
    """Random queries, keys and scoring parameters of dimension ``d`` (d_a = d)."""
    rng = np.random.default_rng([seed, d, 7])
    return ScoringSetup(
        queries=rng.standard_normal((n_queries, d)),
        keys=rng.standard_normal((n_keys, d)),
        w_general=rng.standard_normal((d, d)) / math.sqrt(d),
        w_query=rng.standard_normal((d, d)) / math.sqrt(d),
        w_key=rng.standard_normal((d, d)) / math.sqrt(d),
        v=rng.standard_normal(d) / math.sqrt(d),
    )


def score(setup: ScoringSetup, function: str) -> np.ndarray:
    """``(n_q, n_k)`` scores of every query against every key with ``function``."""
    q, k = setup.queries, setup.keys
    if function == "dot":
        return q @ k.T
    if function == "scaled":
        return q @ k.T / math.sqrt(q.shape[1])
    if function == "general":
        return q @ setup.w_general @ k.T
    if function == "additive":
        hidden = np.tanh((q @ setup.w_query.T)[:, None, :] + (k @ setup.w_key.T)[None, :, :])  # (n_q, n_k, d_a)
        return hidden @ setup.v
    raise ValueError(f"unknown scoring function {function!r}; expected one of {SCORING_FUNCTIONS}")


def scoring_parameters(function: str, d: int) -> int:
    """Learned parameters of a scoring function: 0, 0, d², 2·d·d_a + d_a (d_a = d)."""
    return {"dot": 0, "scaled": 0, "general": d * d, "additive": 2 * d * d + d}[function]


# ------------------------------------------------- 4. the real model's scores
@dataclass
class RealScaling:
    """One real head with the model's scaling and with it removed.

    Attributes:
        weights_scaled: ``(q, k)`` softmax(QKᵀ/√d_k) — what the model uses.
        weights_unscaled: ``(q, k)`` softmax(QKᵀ) — the same scores, not divided.
        max_weight_*, entropy_*: row means (bits).
    """

    weights_scaled: np.ndarray
    weights_unscaled: np.ndarray
    max_weight_scaled: float
    max_weight_unscaled: float
    entropy_scaled: float
    entropy_unscaled: float


def real_scaling(scaled_scores: np.ndarray, d_k: int) -> RealScaling:
    """Compare a real head's softmax with and without the 1/√d_k factor.

    Args:
        scaled_scores: ``(q_len, k_len)`` QKᵀ/√d_k of one head (no padding).
        d_k: the model's dimensions per head.
    """
    w_s = softmax(scaled_scores)
    w_u = softmax(np.asarray(scaled_scores, dtype=np.float64) * math.sqrt(d_k))
    return RealScaling(
        w_s, w_u,
        float(w_s.max(-1).mean()), float(w_u.max(-1).mean()),
        float(entropy_bits(w_s).mean()), float(entropy_bits(w_u).mean()),
    )
