"""Fault injection for the reliability tests (make chaos): a TCP fault proxy and the platform under it."""
