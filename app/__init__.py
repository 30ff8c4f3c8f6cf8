"""Guide Studio: author, target, preview and export in-app guides."""

__version__ = "0.1.0"
