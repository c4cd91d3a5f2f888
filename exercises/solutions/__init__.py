"""Reference solutions, one file per exercise file in workspace/ (read them only when done)."""
