"""Emulated time: real time times a speed factor, plus manual jumps."""

import threading
import time


class Clock:
    def __init__(self, speed=1.0):
        self._lock = threading.Lock()
        self._speed = float(speed)
        self._started = time.monotonic()
        self._offset = 0.0

    def now(self):
        """Seconds of emulated time since the clock was created."""
        with self._lock:
            return (time.monotonic() - self._started) * self._speed + self._offset

    def advance(self, seconds):
        with self._lock:
            self._offset += float(seconds)
        return self.now()
