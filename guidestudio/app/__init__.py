"""The Qt shell: the main window, the document and its undo stack, files safety.

The top of the window stack: it may import ``widgets`` and ``core``; nothing
below imports it.
"""
