"""Compliance items of what connectors learn (compliance.registry)."""
