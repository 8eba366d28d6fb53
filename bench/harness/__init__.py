"""Benchmark harness: whole processes, memory-capped, medians, Markdown reports."""
