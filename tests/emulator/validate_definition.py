"""Placeholder validator (filled in below)."""


def check_put(ctx, rid, body, existing):
    return {}
