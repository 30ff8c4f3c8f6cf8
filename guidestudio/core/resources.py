"""Where the files that ship with Guide Studio live: data inside the package.

Schemas, templates, the runtime, icons, the demo page and the example project
are package data of ``guidestudio``, found through ``importlib.resources``, so
a wheel installed anywhere, an editable install and a fresh clone all find the
same files. (A regular package on disk is a directory, so these are real paths
the web engine, Jinja2 and ``shutil.copytree`` can use; zip imports are not
supported.)
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

PACKAGE_DIR = Path(str(resources.files("guidestudio")))
SCHEMAS_DIR = PACKAGE_DIR / "schemas"
TEMPLATES_DIR = PACKAGE_DIR / "guide_templates"
RESOURCES_DIR = PACKAGE_DIR / "resources"
RUNTIME_DIR = RESOURCES_DIR / "runtime"
EXAMPLE_PROJECT = RESOURCES_DIR / "examples" / "acme-cloud"
DEMO_APP = RESOURCES_DIR / "preview" / "demo-app.html"
