"""The frozen application's entry point: the ``guidestudio`` command, as installed.

``freeze_support`` lets a worker process that is started by re-running this
executable (where ``fork`` is missing) run its task instead of a second app.
"""

import multiprocessing
import sys

from guidestudio.cli import main

if __name__ == "__main__":
    multiprocessing.freeze_support()
    sys.exit(main())
