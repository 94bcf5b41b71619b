"""Allow ``python -m coprod_tui`` as well as the ``coprod`` console script."""

import sys

from coprod_tui.cli import main

sys.exit(main())
