"""Guide Studio: author, target, preview and export in-app guides.

The package reads as its layers, each importing only those below it (the
contracts in ``pyproject.toml`` enforce it): ``cli`` (the ``guidestudio``
command) → ``app`` (the Qt shell) → ``widgets`` (Qt views of the document) →
``core`` (everything without Qt). ``resources``, ``schemas`` and
``guide_templates`` are data shipped inside the package.
"""

__version__ = "0.1.0"
