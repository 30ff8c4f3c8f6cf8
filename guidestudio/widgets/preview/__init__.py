"""The live preview.

The product's runtime on a real page in a web view, and its screenshots.
"""
