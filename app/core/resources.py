"""Where the files that ship with Guide Studio live, found relative to the package.

One place for these paths so an installed copy, an editable install and a
fresh clone all find the same schemas, templates and runtime.
"""

from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
SCHEMAS_DIR = REPO_ROOT / "schemas"
TEMPLATES_DIR = REPO_ROOT / "guide_templates"
RESOURCES_DIR = REPO_ROOT / "resources"
RUNTIME_DIR = RESOURCES_DIR / "runtime"
EXAMPLE_PROJECT = RESOURCES_DIR / "examples" / "acme-cloud"
DEMO_APP = RESOURCES_DIR / "preview" / "demo-app.html"
