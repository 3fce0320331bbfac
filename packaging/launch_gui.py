"""Frozen-build entry point of the desk (PyInstaller runs a script, not ``-m desktop``)."""

import sys

from desktop.__main__ import main

sys.exit(main())
