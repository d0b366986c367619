"""Benchmarks: run from the repository root as ``python -m bench.bench_<name>``; each prints figures and ratios."""
