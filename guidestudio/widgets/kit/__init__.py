"""The parts every form is built from.

The document protocol, field bindings, problem marks, shared field types.
"""
