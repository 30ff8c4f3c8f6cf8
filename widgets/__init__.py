"""Reusable Qt widgets, one concern each. They may import app.core and Qt, never app."""
