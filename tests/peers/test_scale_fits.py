"""bench/harness/scaling.py (the fits behind bench/scale's exponents and 10M projection) against numpy."""
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from harness.scaling import growth_exponent, least_squares, linear_cost, quadratic_cost  # noqa: E402

SIZES = [10_000, 100_000, 300_000, 1_000_000]


def noisy(values, seed):
    rng = np.random.default_rng(seed)
    return [v * (1 + 0.05 * rng.standard_normal()) for v in values]


@pytest.mark.parametrize("seed", range(5))
def test_growth_exponent_is_the_log_log_slope(seed):
    ys = noisy([3.0 * n ** 1.7 for n in SIZES], seed)
    expected = np.polyfit(np.log(SIZES), np.log(ys), 1)[0]
    assert growth_exponent(list(zip(SIZES, ys))) == pytest.approx(expected, rel=1e-9)


def test_growth_exponent_needs_two_sizes():
    assert growth_exponent([(1000, 5.0), (1000, 6.0)]) is None


@pytest.mark.parametrize("seed", range(5))
def test_costs_match_numpy_least_squares(seed):
    linear = noisy([12.0 + 70e-6 * n for n in SIZES], seed)
    quadratic = noisy([12.0 + 300e-6 * n + 8e-9 * n * n for n in SIZES], seed + 100)
    for fit, columns, ys in ((linear_cost, lambda n: [1, n], linear),
                             (quadratic_cost, lambda n: [1, n, n * n], quadratic)):
        design = np.array([columns(n) for n in SIZES], dtype=float)
        expected = np.linalg.lstsq(design, np.array(ys), rcond=None)[0]
        if not (expected >= 0).all():  # a cost cannot be negative: without those columns, refitted
            keep = expected >= 0
            expected = np.zeros(len(expected))
            expected[keep] = np.linalg.lstsq(design[:, keep], np.array(ys), rcond=None)[0]
        assert fit(list(zip(SIZES, ys))) == pytest.approx(list(expected), rel=1e-6, abs=1e-12)


def test_a_negative_coefficient_is_dropped_and_the_rest_refitted():
    # y falls with N: the free slope would be negative, so only the constant remains, at the mean.
    assert least_squares([[1.0, 1.0], [1.0, 2.0], [1.0, 3.0]], [3.0, 2.0, 1.0]) == pytest.approx([2.0, 0.0])


def test_exact_data_gives_back_its_coefficients():
    points = [(n, 10 + 1e-4 * n + 1e-9 * n * n) for n in SIZES]
    assert quadratic_cost(points) == pytest.approx([10, 1e-4, 1e-9], rel=1e-6)
    assert linear_cost([(1, 3), (2, 5), (3, 7)]) == pytest.approx([1, 2])
