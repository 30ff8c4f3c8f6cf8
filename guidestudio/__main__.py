"""``python -m guidestudio``: the same as the ``guidestudio`` command."""

import sys

from guidestudio.cli import main

sys.exit(main())
