"""What the benchmark scripts share: the percentile they report and the rollback they seed inside."""

from __future__ import annotations


def percentile(values: list[float], p: float) -> float:
    """The ``p`` quantile (0–1) with linear interpolation between ranks (numpy's default)."""
    ordered = sorted(values)
    k = (len(ordered) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


class Rollback(Exception):
    """Raised at the end of a seeding transaction so the benchmark leaves the database as it found it."""
