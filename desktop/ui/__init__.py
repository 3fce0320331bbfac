"""The Qt desk: main window, queue, intake, case view and docks (widgets only; logic lives in services)."""
