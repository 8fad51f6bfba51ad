"""Waiting for what a real worker or beat does, outside the test process."""

from __future__ import annotations

import time


def wait_for(condition, seconds=45):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.3)
    return False
