"""The ``complaint-desk`` admin and integration command line."""
