"""Which failed status reads pass by themselves, and how long to wait before the next one.

Following a replication reads the version again and again for hours. A dropped connection, a body
cut short, throttling (429) or a server error (5xx) on one read says nothing about the version:
Azure goes on replicating and a later read succeeds. Such a read is retried (with the wait the
service asks for, capped, or a growing back-off) instead of ending the command; every other error
is Azure's answer and is not.
"""

import email.utils
import json
import time

# A Retry-After above this is not obeyed as is: the follower reads again after this long (and never
# later than --timeout or --stall-timeout allow).
MAX_RETRY_AFTER = 300.0
_FIRST_BACKOFF = 1.0


class Fault:
    """A read that failed for a passing reason: ``reason`` for the user, ``retry_after`` (seconds)
    when the service said how long to wait."""

    __slots__ = ("reason", "retry_after")

    def __init__(self, reason, retry_after=None):
        self.reason = reason
        self.retry_after = retry_after


def classify(exc):
    """The Fault of a failed read, or None when the error is Azure's answer about the resource."""
    from azure.core.exceptions import (DecodeError, DeserializationError, HttpResponseError, ServiceRequestError,
                                       ServiceResponseError)
    if isinstance(exc, DecodeError):  # before HttpResponseError, its base: a body that is no JSON
        return Fault("the answer was cut short or is not JSON")
    if isinstance(exc, HttpResponseError):
        status = getattr(exc, "status_code", None) or getattr(getattr(exc, "response", None), "status_code", None)
        if status == 429:
            return Fault("Azure throttled the read (429)", retry_after(getattr(exc, "response", None)))
        if status == 408 or (isinstance(status, int) and status >= 500):
            return Fault("Azure answered {}".format(status), retry_after(getattr(exc, "response", None)))
        return None
    if isinstance(exc, (ServiceRequestError, ServiceResponseError)):
        return Fault("the connection failed")
    if isinstance(exc, (DeserializationError, json.JSONDecodeError)):
        return Fault("the answer was cut short or is not JSON")
    return None


def retry_after(response):
    """Seconds the response's Retry-After (or retry-after-ms) header asks for; None without one."""
    headers = getattr(response, "headers", None) or {}
    lowered = {str(key).lower(): value for key, value in headers.items()}
    for name, scale in (("retry-after-ms", 0.001), ("x-ms-retry-after-ms", 0.001), ("retry-after", 1.0)):
        value = lowered.get(name)
        if value is None:
            continue
        try:
            return max(0.0, float(value) * scale)
        except ValueError:
            pass
        try:
            moment = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            continue
        return max(0.0, moment.timestamp() - time.time())
    return None


def next_wait(fault, failures, interval):
    """How long to wait after the ``failures``-th failed read in a row: the service's Retry-After
    (at most MAX_RETRY_AFTER), else 1 s doubling up to the poll interval."""
    if fault.retry_after is not None:
        return min(fault.retry_after, MAX_RETRY_AFTER)
    return min(max(interval, _FIRST_BACKOFF), _FIRST_BACKOFF * 2 ** max(0, failures - 1))
