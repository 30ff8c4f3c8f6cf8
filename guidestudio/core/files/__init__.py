"""A project on disk.

YAML read and written faithfully, schemas, atomic writes, one file at a time.
"""
