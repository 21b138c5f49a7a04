"""Read-only fetcher: every resource at most once per run, independent reads concurrently.

A read key is a tuple naming what to read (see ``azext_sig_doctor.checks.readers``). Results
are cached as ``Read`` objects: ``ok`` (data is a plain dict in wire names), ``missing`` (404),
``denied`` (401/403) or ``error`` (anything else, e.g. a 500 or throttling that outlasted the
retries). ``prefetch`` runs a batch of keys on a few threads; ``get`` returns the cached read
or makes it (once, even when several rules ask at the same moment).
"""

import collections
import threading

from azext_sig_doctor.checks import ids
from azext_sig_doctor.checks.registry import Unavailable

# Skip reasons of rules that could not run because a read was refused or failed (not because
# they do not apply): a report with such skips does not cover those rules.
NO_ACCESS = "no read access to"
READ_FAILED = "could not read"

OK, MISSING, DENIED, ERROR = "ok", "missing", "denied", "error"
MAX_WORKERS = 16


class Read:
    """One read's result; ``code`` is the ARM error code of a failed read (AuthorizationFailed, ...)."""

    __slots__ = ("status", "data", "message", "code")

    def __init__(self, status, data=None, message=None, code=None):
        self.status = status
        self.data = data
        self.message = message
        self.code = code

    def __repr__(self):
        return "Read({}, {})".format(self.status, self.message or "")


_TYPE_LABELS = {
    "virtualmachines": "the source VM {name}",
    "images": "the managed image {name}",
    "snapshots": "the snapshot {name}",
    "disks": "the disk {name}",
    "diskencryptionsets": "the disk encryption set {name}",
    "versions": "the image version {name}",
}


def describe(key):
    """Words for a read key, used in skip reasons ("no read access to the source VM vm1")."""
    what = key[0]
    if what == "resource":
        parts = ids.parse(key[1])
        if parts:
            label = _TYPE_LABELS.get(parts["type"].lower(), "the resource {name}")
            return label.format(name=parts["name"])
        return "the resource {}".format(key[1])
    return {
        "gallery": "the gallery",
        "definition": "the image definition",
        "version": "the image version",
        "galleries_in_subscription": "the galleries of the subscription",
        "definitions_in_gallery": "the image definitions of the gallery",
        "versions_in_definition": "the image versions of the definition",
        "compute_provider": "the Microsoft.Compute provider registration",
        "locations": "the subscription's locations",
        "skus": "the compute resource SKUs",
        "resource_group": "the resource group",
    }.get(what, what)


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
            result = Read(ERROR, message="{}: {}".format(type(ex).__name__, ex))
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
        result = self._do(key)
        if result.status == OK:
            return result.data
        if result.status == MISSING:
            return None
        if result.status == DENIED:
            raise Unavailable("{} {}".format(NO_ACCESS, describe(key)))
        raise Unavailable("{} {}: {}".format(READ_FAILED, describe(key), result.message or "unknown error"))

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
