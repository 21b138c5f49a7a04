"""Read-only fetcher: every resource at most once per run, independent reads concurrently.

A read key is a tuple naming what to read (see ``azext_sig_doctor.checks.readers``). Results
are cached as ``Read`` objects: ``ok`` (data is a plain dict in wire names), ``missing`` (404) or
``failed`` with a reason class (``REASONS``: forbidden, another tenant, unknown subscription,
network, throttled, server error, timeout). ``prefetch`` runs a batch of keys on a few threads;
``get`` returns the cached read or makes it (once, even when several rules ask at the same moment).
"""

import collections
import collections.abc
import threading
from dataclasses import dataclass
from typing import Optional

from azext_sig_doctor.checks.registry import Unavailable
from azext_sig_doctor.domain import ids

OK, MISSING, FAILED = "ok", "missing", "failed"
MAX_WORKERS = 16

# "blob": what decides the outcome is data no ARM read returns (a VHD blob's contents).
REASON_CLASSES = ("forbidden", "tenant", "subscription", "network", "throttled", "server", "timeout", "blob", "error")


class _Reasons(collections.abc.Mapping):
    """Why a read failed, and what the user can do about it (the report's advice, one per class):
    ``REASONS[reason_class]`` is a message of the catalog (``checks.reasons``), English as text."""

    def __getitem__(self, key):
        if key not in REASON_CLASSES:
            raise KeyError(key)
        from azext_sig_doctor.i18n.catalog import msg
        return msg("checks.reasons", key, tenant="<tenant>")

    def __iter__(self):
        return iter(REASON_CLASSES)

    def __len__(self):
        return len(REASON_CLASSES)


REASONS = _Reasons()


@dataclass
class Read:
    """One read's result; ``code`` is the ARM error code of a failed read (AuthorizationFailed, ...)."""

    status: str
    data: object = None
    message: Optional[str] = None
    code: Optional[str] = None
    reason: Optional[str] = None     # a key of REASONS for a failed read
    tenant: Optional[str] = None     # the tenant a cross-tenant read must be signed in to, when known


_TYPE_LABELS = ("virtualmachines", "images", "snapshots", "disks", "diskencryptionsets", "versions")
_READS = ("gallery", "definition", "version", "galleries_in_subscription", "definitions_in_gallery",
          "versions_in_definition", "compute_provider", "locations", "skus", "resource_group", "disk_encryption_sets",
          "community_image", "community_versions", "shared_image", "shared_versions")


def describe(key):
    """Words for a read key, used in reasons ("the source VM vm1"): a message of ``checks.reads``."""
    from azext_sig_doctor.i18n.catalog import msg
    what = key[0]
    if what == "resource":
        parsed = ids.parse(key[1])
        if parsed:
            kind = parsed.type.lower()
            return msg("checks.reads", "resource-" + kind if kind in _TYPE_LABELS else "resource", name=parsed.name)
        return msg("checks.reads", "resource", name=key[1])
    return msg("checks.reads", what.replace("_", "-")) if what in _READS else what


def unavailable(read, key):
    """The Unavailable a failed read means for the rules that needed it."""
    from azext_sig_doctor.i18n.catalog import msg
    advice = REASONS.get(read.reason, REASONS["error"])
    if read.reason == "tenant" and read.tenant:
        advice = msg("checks.reasons", "tenant", tenant=read.tenant)
    why = read.message or read.code or msg("checks.reads", "unknown-error")
    return Unavailable(msg("checks.reads", "could-not-read", what=describe(key), why=why, advice=advice),
                       read.reason or "error")


def data_of(read, key):
    """What a rule gets from ``read`` of ``key``: its data; None when the resource does not exist;
    Unavailable when the read failed."""
    if read.status == OK:
        return read.data
    if read.status == MISSING:
        return None
    raise unavailable(read, key)


class Fetcher:
    """Caches reads made through ``reader`` (an object with ``read(key) -> Read``)."""

    def __init__(self, reader, max_workers=MAX_WORKERS):
        self._reader = reader
        self._max_workers = max_workers
        self._lock = threading.Lock()
        self._pending = {}
        self._reads = {}

    def _do(self, key):
        with self._lock:
            if key in self._reads:
                return self._reads[key]
            event = self._pending.get(key)
            owner = event is None
            if owner:
                event = self._pending[key] = threading.Event()
        if not owner:
            event.wait()
            return self._reads[key]
        try:
            result = self._reader.read(key)
        except Exception as ex:  # pylint: disable=broad-except
            # A reader bug or an unexpected client error must not hide other findings.
            result = Read(FAILED, message="{}: {}".format(type(ex).__name__, ex), reason="error")
        with self._lock:
            self._reads[key] = result
            del self._pending[key]
        event.set()
        return result

    def prefetch(self, keys):
        """Read every key not read yet, concurrently; returns when all are done."""
        todo = []
        for key in keys:
            if key not in self._reads and key not in todo:
                todo.append(key)
        if len(todo) == 1:
            self._do(todo[0])
        elif todo:
            run_concurrently(self._do, todo, min(self._max_workers, len(todo)))

    def get(self, key):
        return self._do(key)

    def data(self, key):
        """The data of ``key``; None when the resource does not exist; Unavailable otherwise."""
        return data_of(self._do(key), key)

    def reads(self):
        return dict(self._reads)


def run_concurrently(function, items, workers):
    """Call ``function`` on every item from ``workers`` threads; returns when every call has returned.

    The threads are daemons, unlike a ThreadPoolExecutor's, which the interpreter joins at exit:
    on Ctrl-C the caller stops at once, the reads under way are left behind without being waited
    for, and the queued ones never start. ``function`` must not raise (``Fetcher._do`` does not).
    """
    queue = collections.deque(items)
    lock = threading.Lock()
    finished = threading.Event()
    left = [len(queue)]

    def work():
        while True:
            with lock:
                if not queue:
                    return
                item = queue.popleft()
            try:
                function(item)
            finally:
                with lock:
                    left[0] -= 1
                    if left[0] == 0:
                        finished.set()

    for _ in range(workers):
        threading.Thread(target=work, name="sig-doctor-read", daemon=True).start()
    try:
        finished.wait()
    except KeyboardInterrupt:
        with lock:
            queue.clear()
        raise
