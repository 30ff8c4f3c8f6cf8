"""The rule builder.

An audience condition as rows and groups, each row with a typed value editor.
"""
