"""The Qt-free core: model, project I/O, validation, targeting, compiler, bundle.

Nothing under this package may import Qt: the CLI and CI exports run without a
display, and a test enforces it.
"""
