"""Supervisor statistics: period picker, key figures, charts and breakdown tables."""

from desktop.ui.stats.dialog import StatisticsDialog

__all__ = ["StatisticsDialog"]
