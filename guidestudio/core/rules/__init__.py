"""An audience condition as the rule builder sees it.

Groups and rows, attribute types, typed values, which profiles match.
"""
