"""Frozen-build entry point of the ``complaint-desk`` admin command line."""

import sys

from desktop.cli.main import main

sys.exit(main())
