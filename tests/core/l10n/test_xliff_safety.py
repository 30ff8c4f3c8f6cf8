"""A returned file is parsed with every door shut: entities never expand, nothing is fetched,
and a file that is not XLIFF (or not XML) is one clear problem."""

from __future__ import annotations

import time
import tracemalloc
from pathlib import Path

from guidestudio.core.files.project_io import load_project
from guidestudio.core.l10n.importer import plan_import
from guidestudio.core.l10n.xliff_read import read_xliff

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE xliff [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en" trgLang="de">
 <file id="f"><unit id="nps-survey.a.nps.title"><segment><source>x</source>
 <target>&lol9;</target></segment></unit></file>
</xliff>
"""


def test_a_billion_laughs_file_is_refused_without_expanding(example: Path) -> None:
    project = load_project(example).project
    tracemalloc.start()
    started = time.perf_counter()
    plan = plan_import(project, BILLION_LAUGHS, "laughs.xlf")
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert not plan.ok and not plan.edit.edits
    (problem,) = plan.problems
    assert problem.format().startswith("laughs.xlf:1: the file declares a document type")
    assert elapsed < 1 and peak < 20_000_000  # 10^9 "lol"s would be gigabytes


def test_an_external_entity_is_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    data = (f'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY s SYSTEM "file://{secret}">]>'
            '<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en" '
            'trgLang="de"><file id="f"><unit id="u"><segment><source>a</source>'
            '<target>&s;</target></segment></unit></file></xliff>').encode()
    result = read_xliff(data, "xxe.xlf")
    assert not result.units and "document type" in result.problems[0].message
    assert "TOP SECRET" not in repr(result)


def test_not_xml_and_not_xliff_are_one_problem_each() -> None:
    broken = read_xliff(b'<?xml version="1.0"?>\n<xliff>\n  <file>\n</xliff>\n', "cut.xlf")
    (problem,) = broken.problems
    assert problem.format().startswith("cut.xlf:4: not well-formed XML")
    other = read_xliff(b'<?xml version="1.0"?><html><body/></html>', "page.xlf")
    assert other.problems[0].message == ("not an XLIFF 2.0 or 1.2 file (the root element is "
                                         "<html>)")
    xliff1 = read_xliff(b'<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="1.0"/>',
                        "old.xlf")
    assert "expected 2.0" in xliff1.problems[0].message


def test_a_doctype_in_utf16_is_refused_too() -> None:
    data = BILLION_LAUGHS.decode().replace('<?xml version="1.0"?>',
                                           '<?xml version="1.0" encoding="UTF-16"?>')
    result = read_xliff(b"\xff\xfe" + data.encode("utf-16-le"), "wide.xlf")
    assert "document type" in result.problems[0].message
