"""Run the command line: python -m leaflet."""

import sys

from .cli import main

sys.exit(main())
