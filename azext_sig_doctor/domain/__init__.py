"""The shared domain layer: what checks, creates, explain and the estate commands all speak.

Nothing here imports from the feature packages (``checks``, ``create``, ``explain``, ...); they
import from here. Modules: ``regions`` (region names both ways), ``ids`` (ARM resource ids and
gallery image references).
"""
