"""bot/speedups/heap.py: start-up's objects frozen out of the collector's way, later garbage collected as before.
In a process of its own: freezing is for the whole interpreter, not for the test session's."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import gc, weakref
import bot.app  # what the bot imports before it settles
from bot.speedups import heap

class Node:
    pass

kept = Node()
kept.me = kept  # alive at start-up, in a cycle: walked by every full collection until frozen
assert any(o is kept for o in gc.get_objects())
heap.settle()
assert gc.get_freeze_count() > 50_000, gc.get_freeze_count()
assert not any(o is kept for o in gc.get_objects())  # no longer walked
assert gc.get_threshold()[0] == heap.YOUNG_THRESHOLD
later = Node()
later.me = later  # garbage in a cycle made while serving
gone = weakref.ref(later)
del later
gc.collect()
assert gone() is None
print("settled", gc.get_freeze_count())
"""


def test_settle_freezes_start_up_and_still_collects_what_comes_later():
    done = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("settled ")
