"""Benchmarks of authdeck (`make bench`): figures go to bench/RESULTS.md beside a same-run baseline."""
