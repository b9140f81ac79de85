"""Tornado layer: the ExtensionApp wiring and thin REST handlers."""
