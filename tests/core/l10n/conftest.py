"""A fresh copy of the example project per test (imports write into it)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE_PROJECT


@pytest.fixture
def example(tmp_path: Path) -> Path:
    root = tmp_path / "acme-cloud"
    shutil.copytree(EXAMPLE_PROJECT, root)
    return root
