"""The embedded Oxigraph fast path: the on-disk cache keyed by the input files.

(Named with the scale tests; it is the local half of "stay fast on the way to a remote store".)
"""

from __future__ import annotations

import os
import shutil

import pytest

from gutkg.errors import InputError
from tests.conftest import data

CLAIMS = "SELECT ?c WHERE { ?c a <https://w3id.org/gutkg/vocab#CausalClaim> } ORDER BY ?c"


@pytest.fixture
def graph_copy(tmp_path, monkeypatch):
    monkeypatch.setenv("GUTKG_CACHE", str(tmp_path / "cache"))
    folder = tmp_path / "graph"
    folder.mkdir()
    shutil.copy(data("valid_small.ttl"), folder / "small.ttl")
    return folder


def test_unchanged_files_reopen_without_hashing(graph_copy, monkeypatch):
    import gutkg.loading as load_module

    first = load_module.load([graph_copy], store="oxigraph")
    rows = first.query(CLAIMS).rows
    assert len(rows) == 2
    del first

    def no_hashing(files):  # the warm path must not read the files at all
        raise AssertionError("content hashed on a warm start")

    monkeypatch.setattr(load_module, "cache_key", no_hashing)
    again = load_module.load([graph_copy], store="oxigraph")
    assert again.query(CLAIMS).rows == rows


def test_an_edited_file_is_never_served_stale(graph_copy):
    from gutkg.loading import load

    path = graph_copy / "small.ttl"
    before = load([graph_copy], store="oxigraph")
    assert len(before.query(CLAIMS).rows) == 2
    del before
    text = path.read_text().replace("gkc:beta", "gkc:zeta")  # same size
    assert text != path.read_text() and len(text) == len(path.read_text())
    stat = path.stat()
    path.write_text(text)
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same size, same mtime, same inode
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (stat.st_size, stat.st_mtime_ns)
    after = load([graph_copy], store="oxigraph")
    reference = load([graph_copy], store="memory")
    q = "SELECT ?e WHERE { ?c <https://w3id.org/gutkg/vocab#effect> ?e } ORDER BY ?e"
    assert after.query(q).rows == reference.query(q).rows != []


def test_non_utf8_file_is_refused_with_its_line_on_the_embedded_path(graph_copy):
    from gutkg.loading import check_utf8, load

    bad = graph_copy / "bad.ttl"
    bad.write_bytes(b'@prefix ex: <http://example.org/> .\n\nex:a ex:p "caf\xe9" .\n')
    with pytest.raises(InputError, match=r"bad.ttl, line 3: not UTF-8 \(byte 0xe9\)"):
        check_utf8(bad)
    with pytest.raises(InputError, match="line 3"):
        load([graph_copy], store="oxigraph")
    check_utf8(graph_copy / "small.ttl")  # a good file passes


def test_bulk_load_reports_bytes_read_for_the_progress_bar(tmp_path):
    from gutkg.store.oxigraph import OxigraphStore

    seen: list[int] = []
    store = OxigraphStore(tmp_path / "store")
    store.load_file(data("valid_small.ttl"), on_progress=seen.append)
    assert len(store) > 0
    assert seen and sum(seen) == data("valid_small.ttl").stat().st_size
