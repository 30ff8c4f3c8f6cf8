"""Dialogs.

Export, the starter gallery, and the diff against the file on disk.
"""
