"""A local Azure Resource Manager emulator for gallery work (test infrastructure, not shipped).

Start it with `python -m tests.emulator --port 0 --scenario tests/scenarios/demo.yaml`.
"""
