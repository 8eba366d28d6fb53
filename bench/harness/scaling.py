"""Fits and projections of the scale benchmark's measurements (pure arithmetic, no files).

Growth exponent: the slope of least squares on (log N, log y). Per-row costs: least squares of
y = a + b·N (memory, and the time of the linear stages) or, for content, y = f + a·N + c·N² (every row
is scored against a candidate set that grows with the catalogue), with the coefficients kept ≥ 0.
"""
import math


def growth_exponent(points):
    """Slope of log y against log N over (N, y) points; None with fewer than two sizes."""
    points = [(n, y) for n, y in points if n > 0 and y > 0]
    if len({n for n, _ in points}) < 2:
        return None
    xs = [math.log(n) for n, _ in points]
    ys = [math.log(y) for _, y in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)


def least_squares(rows, ys):
    """Coefficients minimising Σ(row·coef - y)² (normal equations; two or three columns), each ≥ 0:
    a negative one is dropped and the rest fitted again."""
    columns = list(range(len(rows[0])))
    while True:
        coef = _solve([[r[i] for i in columns] for r in rows], ys)
        if coef is None:
            return None
        if all(c >= 0 for c in coef) or len(columns) == 1:
            full = [0.0] * len(rows[0])
            for i, c in zip(columns, coef):
                full[i] = max(c, 0.0)
            return full
        columns = [i for i, c in zip(columns, coef) if c >= 0] or columns[:1]


def _solve(rows, ys):
    k = len(rows[0])
    # Scale the columns so that N and N² do not make the normal equations singular in floats.
    scale = [max(abs(r[i]) for r in rows) or 1.0 for i in range(k)]
    a = [[sum(r[i] / scale[i] * r[j] / scale[j] for r in rows) for j in range(k)] for i in range(k)]
    b = [sum(r[i] / scale[i] * y for r, y in zip(rows, ys)) for i in range(k)]
    for col in range(k):  # Gauss-Jordan with partial pivoting
        pivot = max(range(col, k), key=lambda r: abs(a[r][col]))
        if abs(a[pivot][col]) < 1e-12:
            return None
        a[col], a[pivot], b[col], b[pivot] = a[pivot], a[col], b[pivot], b[col]
        for r in range(k):
            if r != col:
                f = a[r][col] / a[col][col]
                a[r] = [x - f * y for x, y in zip(a[r], a[col])]
                b[r] -= f * b[col]
    return [b[i] / a[i][i] / scale[i] for i in range(k)]


def linear_cost(points):
    """(fixed, per item) of y = fixed + per_item·N; None with fewer than two sizes."""
    if len({n for n, _ in points}) < 2:
        return None
    return least_squares([[1.0, float(n)] for n, _ in points], [y for _, y in points])


def quadratic_cost(points):
    """(fixed, per item, per item pair) of y = f + a·N + c·N²; None with fewer than three sizes."""
    if len({n for n, _ in points}) < 3:
        return None
    return least_squares([[1.0, float(n), float(n) * n] for n, _ in points], [y for _, y in points])
