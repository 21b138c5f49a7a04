"""Record of every request the emulator answered, for tests to assert on."""

import threading


class Journal:
    def __init__(self):
        self._lock = threading.Lock()
        self._entries = []

    def record(self, method, path, query, status, body=None):
        entry = {"method": method, "path": path, "query": query, "status": status}
        if body is not None:
            entry["body"] = body
        with self._lock:
            self._entries.append(entry)

    def entries(self):
        with self._lock:
            return list(self._entries)

    def clear(self):
        with self._lock:
            self._entries.clear()
