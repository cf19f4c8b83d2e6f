"""Rules (see module docstring of juesuan.rules.registry)."""
