"""``python -m consultsim.cli``: the command line."""

import sys

from consultsim.cli import main

sys.exit(main())
