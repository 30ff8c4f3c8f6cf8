"""One guide's editor.

Its tabs and forms: settings, audience, delivery, experiment, variants, steps.
"""
