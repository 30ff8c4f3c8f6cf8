"""Pictures added from a file (copied into assets/ by content) and their required description."""

from __future__ import annotations

import hashlib
import struct
import zlib
from pathlib import Path

import pytest

from guidestudio.core.describe.trail import problem_trail
from guidestudio.core.files.pictures import MAX_BYTES, PictureRefused, add_picture
from guidestudio.core.files.project_io import load_project
from tests.core.test_validate import SETTINGS, codes, expect, guide, make, only, run


def png(width: int = 2, height: int = 2, rgb: tuple[int, int, int] = (30, 110, 220)) -> bytes:
    """A real PNG of one colour (any image reader opens it)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))
    rows = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


PNG = png()
SVG = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>'


def write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def test_a_picture_is_copied_under_its_content_hash_once(tmp_path: Path) -> None:
    root = tmp_path / "project"
    root.mkdir()
    first = write(tmp_path / "Desktop" / "Screenshot 2026-12-07.png", PNG)
    again = write(tmp_path / "Downloads" / "same picture.PNG", PNG)
    rel = add_picture(root, first)
    assert rel == f"assets/{hashlib.sha256(PNG).hexdigest()[:16]}.png"
    assert (root / rel).read_bytes() == PNG
    assert add_picture(root, again) == rel
    assert sorted(p.name for p in (root / "assets").iterdir()) == [Path(rel).name]


def test_the_extension_follows_the_bytes_and_svg_is_a_picture(tmp_path: Path) -> None:
    root = tmp_path / "project"
    root.mkdir()
    assert add_picture(root, write(tmp_path / "logo.svg", SVG)).endswith(".svg")
    # A JPEG saved with a .png name is stored as what it is.
    jpeg = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32
    assert add_picture(root, write(tmp_path / "photo.png", jpeg)).endswith(".jpg")


def test_a_picture_already_in_assets_is_used_where_it_is(tmp_path: Path) -> None:
    root = tmp_path / "project"
    write(root / "assets" / "tour.png", PNG)
    assert add_picture(root, root / "assets" / "tour.png") == "assets/tour.png"
    assert [p.name for p in (root / "assets").iterdir()] == ["tour.png"]


@pytest.mark.parametrize(("name", "data", "words"), [
    ("report.pdf", b"%PDF-1.7", "is not a picture. Add a PNG, JPG, GIF, WebP or SVG file"),
    ("renamed.png", b"%PDF-1.7", "is not a picture, although its name ends in .png"),
    ("notes.svg", b"hello", "is not a picture"),
])
def test_what_is_not_a_picture_is_refused_and_nothing_is_copied(
        tmp_path: Path, name: str, data: bytes, words: str) -> None:
    root = tmp_path / "project"
    root.mkdir()
    with pytest.raises(PictureRefused) as refused:
        add_picture(root, write(tmp_path / name, data))
    assert f"“{name}”" in str(refused.value) and words in str(refused.value)
    assert not (root / "assets").exists()


def test_a_huge_picture_is_refused_with_its_size(tmp_path: Path) -> None:
    root = tmp_path / "project"
    root.mkdir()
    huge = write(tmp_path / "poster.png", PNG + b"\x00" * (MAX_BYTES + 1024 * 1024))
    with pytest.raises(PictureRefused) as refused:
        add_picture(root, huge)
    assert "“poster.png” is 6.0 MB; pictures must be at most 5.0 MB" in str(refused.value)
    assert not (root / "assets").exists()


def test_without_a_project_folder_nothing_can_be_copied(tmp_path: Path) -> None:
    with pytest.raises(PictureRefused, match="Save the project first"):
        add_picture(None, write(tmp_path / "a.png", PNG))


IMAGE_STEP = """\
variants:
  - key: a
    steps:
      - title: {{en: Hello, ja: こんにちは}}
        image:
          src: assets/a.png
          alt: {alt}
        buttons:
          - {{label: {{en: OK, ja: OK}}, action: dismiss}}
"""


def test_a_picture_without_a_description_is_an_error_in_plain_words(tmp_path: Path) -> None:
    root = make(tmp_path, {
        "guidestudio.yaml": SETTINGS.replace("[en]", "[en, ja]"),
        "guides/g.yaml": guide(IMAGE_STEP.format(alt="{en: ''}")),
        "assets/a.png": "",
    })
    problems = run(root)
    problem = only(problems, "image-alt")
    expect(problem, root, "guides/g.yaml", "alt:", "variants[0].steps[0].image.alt",
           "the picture has no description", "screen reader")
    assert "missing-translation" not in codes(problems)  # one problem, not two
    project = load_project(root).project
    assert problem_trail(project, problem) == "Guide g › Step 1 › Picture › Description"


def test_a_description_in_one_language_only_is_a_missing_translation(tmp_path: Path) -> None:
    root = make(tmp_path, {
        "guidestudio.yaml": SETTINGS.replace("[en]", "[en, ja]"),
        "guides/g.yaml": guide(IMAGE_STEP.format(alt="{en: A chart}")),
        "assets/a.png": "",
    })
    problems = run(root)
    assert "image-alt" not in codes(problems)
    assert only(problems, "missing-translation").severity == "warning"
