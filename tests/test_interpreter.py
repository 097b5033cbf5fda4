"""The interpreter's tuning while the window runs (consult.ui.shell.interpreter)."""

from __future__ import annotations

import gc
import sys
from collections.abc import Iterator

import pytest

from consult.ui.shell.interpreter import (
    FULL_COLLECTION_BACKSTOP,
    FULL_COLLECTION_DUE,
    SWITCH_INTERVAL_S,
    collect_if_due,
    defer_full_collections,
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


def test_full_collections_are_deferred_to_the_backstop_and_put_back() -> None:
    before = gc.get_threshold()
    put_back = defer_full_collections()
    try:
        assert gc.get_threshold() == (before[0], before[1], FULL_COLLECTION_BACKSTOP)
        assert FULL_COLLECTION_BACKSTOP > FULL_COLLECTION_DUE
    finally:
        put_back()
    assert gc.get_threshold() == before


def _cycle() -> None:
    """A reference cycle that only the collector can free."""
    node: dict[str, object] = {}
    node["self"] = node


def _younger_collections(count: int) -> None:
    for _ in range(count):
        gc.collect(1)


@pytest.fixture()
def no_automatic_collections() -> Iterator[None]:
    """Only the test's own collections move the counts."""
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


@pytest.mark.usefixtures("no_automatic_collections")
def test_a_full_collection_runs_only_when_due() -> None:
    gc.collect()  # the count starts at nothing due
    assert not collect_if_due()
    _younger_collections(FULL_COLLECTION_DUE - 1)
    assert gc.get_count()[2] == FULL_COLLECTION_DUE - 1
    assert not collect_if_due()
    _younger_collections(1)
    collections: list[int] = []

    def seen(phase: str, info: dict[str, int]) -> None:
        if phase == "stop":
            collections.append(info["generation"])

    gc.callbacks.append(seen)
    try:
        _cycle()
        assert collect_if_due()
    finally:
        gc.callbacks.remove(seen)
    assert collections == [2]
    assert gc.get_count()[2] == 0  # a full collection resets the count
