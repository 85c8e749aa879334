"""Percentiles of repeated measurements."""

from __future__ import annotations

import statistics
from dataclasses import dataclass


@dataclass(frozen=True)
class Summary:
    n: int
    p50: float
    p99: float

    @classmethod
    def of(cls, samples: list[float]) -> Summary:
        ordered = sorted(samples)
        if not ordered:
            return cls(0, float("nan"), float("nan"))
        p99_index = min(len(ordered) - 1, max(0, round(0.99 * len(ordered)) - 1))
        return cls(len(ordered), statistics.median(ordered), ordered[p99_index])

    def ms(self) -> str:
        return f"{self.p50:.2f} / {self.p99:.2f}"
