"""Timing shared by the benchmarks: best of several wall-clock runs (machines here are noisy)."""

from __future__ import annotations

import time
from collections.abc import Callable


def best_of(repeat: int, function: Callable[[], object]) -> float:
    """Fastest of ``repeat`` wall-clock runs of ``function``, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)
