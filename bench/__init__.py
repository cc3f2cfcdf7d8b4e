"""Benchmarks: speed, scale and memory against baselines measured in the same run (`python -m bench`)."""
