"""The project at a glance.

The tree of guides, segments and themes, and the problems panel.
"""
