"""Two stores on one shared folder (Downtown, and Harbour whose clock runs 7 s ahead), settled: the ``net`` of the
sync tests that do not need a setting of their own."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.sync_harness import Network


@pytest.fixture
def net(tmp_path: Path) -> Iterator[Network]:
    network = Network(tmp_path)
    network.add_node("Downtown")
    network.add_node("Harbour", skew_seconds=7)
    network.settle()
    yield network
    network.close()
