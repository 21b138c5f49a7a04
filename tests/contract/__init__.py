"""Contract fixtures derived from Azure CLI test recordings, and their replay (README in tests/emulator)."""
