"""Qt views of the open document, one concern each, in feature folders.

They may import ``guidestudio.core`` and Qt, never ``guidestudio.app``: the
document reaches them through the protocol in ``kit/editing.py``.
"""
