"""Writing one value into the project so that the result is always a valid file.

Every form field writes through ``write_value``; it is the "valid or nothing"
half of the binding helper (``bindings``). What the write comes to — which
path, which object, whether the file's schema allows it — is planned in the
core (``core/field_writes``, no Qt); this only makes the planned edit on the
document, as one undo step.
"""

from __future__ import annotations

from typing import Any

from guidestudio.core.edits import MISSING
from guidestudio.core.field_writes import plan_write
from guidestudio.widgets.kit.editing import EditableDocument

Path = tuple[Any, ...]


def write_value(document: EditableDocument, path: Path, value: Any, *, origin: Any = None,
                text: str | None = None, merge: bool | None = None) -> str | None:
    """Write ``value`` (``MISSING`` clears) at ``path`` as one undo step.

    Returns None when written (or nothing to do), otherwise why it was not:
    the edit would make the entity invalid against its schema.
    """
    planned = plan_write(document.project, path, value)
    if planned.error is not None:
        return planned.error
    if planned.value is MISSING:
        document.clear_value(planned.path, text=text, origin=origin)
    else:
        document.set_value(planned.path, planned.value, text=text, origin=origin,
                           merge=False if planned.new_section else merge)
    return None
