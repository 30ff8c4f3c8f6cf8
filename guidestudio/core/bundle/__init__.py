"""From project to bundle.

The compiler, the templates' styles, canonical JSON, the bundle file and its diff.
"""
