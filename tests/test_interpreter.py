"""The interpreter's tuning while the window runs (consult.ui.shell.interpreter)."""

from __future__ import annotations

import gc
import sys

from consult.ui.shell.interpreter import (
    SWITCH_INTERVAL_S,
    freeze_startup_objects,
    thaw_startup_objects,
    use_short_switch_interval,
)


def test_the_switch_interval_is_shortened_and_put_back() -> None:
    before = sys.getswitchinterval()
    put_back = use_short_switch_interval()
    try:
        assert sys.getswitchinterval() == SWITCH_INTERVAL_S < before
    finally:
        put_back()
    assert sys.getswitchinterval() == before


def test_objects_alive_at_start_are_frozen_out_of_collections_until_thawed() -> None:
    alive = [object() for _ in range(10)]  # noqa: F841 - alive while frozen
    tracked = {"a": [1, 2]}
    freeze_startup_objects()
    try:
        assert gc.get_freeze_count() > 0
        assert not any(tracked is obj for obj in gc.get_objects())  # not walked
        gc.collect()
        assert tracked == {"a": [1, 2]}
    finally:
        thaw_startup_objects()
    assert gc.get_freeze_count() == 0
    assert any(tracked is obj for obj in gc.get_objects())
