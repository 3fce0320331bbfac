"""Qt side of outcome letters: signature pad, preview/print, verification."""
