"""Stop a pure-Python computation that runs too long (nothing of Odoo here).

The processing cron analyses a thousand texts per batch; one text that takes
minutes must not hold the batch until Odoo's time limit kills the worker (the
same batch would then come first again). :class:`Watchdog` runs one thread
per batch that raises :class:`TimeLimitExceeded` in the analysing thread when
a step overruns, the way ``KeyboardInterrupt`` interrupts Python code: at the
next bytecode, so a step blocked in C code is interrupted when it returns to
Python. Steps that finish in time cost a lock and two assignments.
"""

import contextlib
import ctypes
import threading
import time

POLL = 0.05  # seconds between two looks of the watchdog


class TimeLimitExceeded(Exception):
    """A step of :class:`Watchdog` ran longer than its limit."""


def _raise_in(thread_id, exception):
    """Schedule ``exception`` in the thread ``thread_id`` (None: cancel it)."""
    ctypes.pythonapi.PyThreadState_SetAsyncExc(
        ctypes.c_ulong(thread_id), ctypes.py_object(exception) if exception else None
    )


class Watchdog:
    """``with Watchdog(seconds) as dog:`` then ``with dog.step():`` around each
    computation that may take at most ``seconds`` (0 or less: no limit)."""

    def __init__(self, seconds):
        self.seconds = seconds
        self._thread_id = threading.get_ident()
        self._lock = threading.Lock()
        self._deadline = None
        self._fired = False
        self._stopped = threading.Event()
        self._thread = None

    def __enter__(self):
        if self.seconds and self.seconds > 0:
            self._thread = threading.Thread(target=self._watch, name="social_crm watchdog", daemon=True)
            self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stopped.set()
        if self._thread:
            self._thread.join()
        return False

    @contextlib.contextmanager
    def step(self):
        if not self._thread:
            yield
            return
        with self._lock:
            self._fired = False
            self._deadline = time.monotonic() + self.seconds
        try:
            yield
        finally:
            with self._lock:
                self._deadline = None
                if self._fired:
                    # fired as the step ended: drop the exception if it was not raised yet
                    _raise_in(self._thread_id, None)
                    self._fired = False

    def _watch(self):
        while not self._stopped.wait(POLL):
            with self._lock:
                if self._deadline is not None and time.monotonic() >= self._deadline:
                    self._deadline = None
                    self._fired = True
                    _raise_in(self._thread_id, TimeLimitExceeded)
