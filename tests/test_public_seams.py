"""A helper another module uses has a public name: no module reaches into another's ``_name``.

import-linter guards which modules may import which; this guards *what* they
take. A leading underscore says "only this module relies on it", so a rename
or a change of behaviour there can be made without looking elsewhere — which
stops being true the day another module imports it. Tests may look inside the
module they test; the package may not.
"""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import REPO_ROOT


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def private_uses(root: Path) -> list[str]:
    """``importer: module._name`` for every private name one module under ``root`` takes
    from another (``root`` holds the ``guidestudio`` folder)."""
    files = sorted((root / "guidestudio").rglob("*.py"))
    modules = {_module_name(path, root) for path in files}
    found = []
    for path in files:
        importer = _module_name(path, root)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        aliases: dict[str, str] = {}  # local name -> one of our modules
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                for alias in node.names:
                    full = f"{node.module}.{alias.name}"
                    if full in modules:
                        aliases[alias.asname or alias.name] = full
                    elif node.module in modules and _private(alias.name) \
                            and node.module != importer:
                        found.append(f"{importer}:{node.lineno}: {node.module}.{alias.name}")
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name in modules and alias.asname:
                        aliases[alias.asname] = alias.name
        for node in ast.walk(tree):
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                    and _private(node.attr) and aliases.get(node.value.id, importer) != importer):
                found.append(f"{importer}:{node.lineno}: {aliases[node.value.id]}.{node.attr}")
    return sorted(found)


def test_no_module_uses_another_modules_private_names() -> None:
    assert private_uses(REPO_ROOT) == []


def test_the_check_sees_both_ways_of_reaching_in(tmp_path: Path) -> None:
    """The check itself must be able to fail: an import and an attribute access both count,
    a module's use of its own private names does not."""
    package = tmp_path / "guidestudio" / "core"
    package.mkdir(parents=True)
    for folder in (tmp_path / "guidestudio", package):
        (folder / "__init__.py").write_text("", encoding="utf-8")
    (package / "paths.py").write_text("def _secret(): ...\ndef _hidden(): ...\n_secret()\n",
                                      encoding="utf-8")
    (package / "user.py").write_text("from guidestudio.core.paths import _secret\n"
                                     "from guidestudio.core import paths\n"
                                     "paths._hidden()\n", encoding="utf-8")
    assert private_uses(tmp_path) == ["guidestudio.core.user:1: guidestudio.core.paths._secret",
                                      "guidestudio.core.user:3: guidestudio.core.paths._hidden"]
