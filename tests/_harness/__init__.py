"""Test harness: real PostgreSQL servers and real core processes on free ports."""
