"""A callback that runs once, whichever of several signals or timers calls it first."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class Once:
    """Calls ``callback`` the first time it is called, whatever it is given; then nothing."""

    def __init__(self, callback: Callable[[], None]) -> None:
        self._callback: Callable[[], None] | None = callback

    def __call__(self, *_args: Any) -> None:
        callback, self._callback = self._callback, None
        if callback is not None:
            callback()
