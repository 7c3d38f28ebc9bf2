"""scripts/opensearch_cluster.py without starting a node: free ports, cluster names."""

from __future__ import annotations

import importlib.util
import socket

import pytest

from .conftest import CLUSTER_SCRIPT


@pytest.fixture(scope="module")
def script():
    spec = importlib.util.spec_from_file_location("opensearch_cluster", CLUSTER_SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_free_base_skips_a_base_whose_transport_port_is_taken(script):
    base = script.free_base(3)
    assert 29_201 <= base < 39_201
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", base + 102))           # the third node's transport port
        assert script.free_base(3, first=base) != base
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", base))                  # the first node's HTTP port
        assert script.free_base(3, first=base) != base


def test_each_cluster_folder_has_its_own_cluster_name(script, tmp_path):
    assert script.cluster_name((script.CACHE / "cluster").resolve()) == "searchhub-local"
    one, two = script.cluster_name(tmp_path / "one"), script.cluster_name(tmp_path / "two")
    assert one != two and one.startswith("searchhub-") and one != "searchhub-local"
    assert script.cluster_name(tmp_path / "one") == one
