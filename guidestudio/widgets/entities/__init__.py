"""Editors for what guides share.

Segments, themes, sample profiles, project settings.
"""
