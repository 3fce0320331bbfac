"""Reports written from the statistics (PDF, XLSX)."""
