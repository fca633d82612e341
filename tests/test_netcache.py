"""The on-disk cache of the projected network (gutkg.netcache): what it serves is always what a
fresh projection of the current files gives, and a damaged or unusable cache only costs time."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

from gutkg import netcache
from gutkg.loading import load
from gutkg.network import to_network
from tests.conftest import ROOT, data


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache folder; files written by the test are cacheable at once (no racy window, which
    test_a_just_written_file_is_not_cached_yet checks on its own)."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("GUTKG_CACHE", str(folder))
    monkeypatch.setattr(netcache, "RACY_SECONDS", 0.0)
    return folder


@pytest.fixture
def small(tmp_path: Path) -> Path:
    """A writable copy of tests/data/valid_small.ttl."""
    target = tmp_path / "graph" / "small.ttl"
    target.parent.mkdir()
    shutil.copy(data("valid_small.ttl"), target)
    return target


def entries(cache: Path) -> list[Path]:
    return sorted((cache / "network").glob("*.pickle"))


def same_graph(a: nx.MultiDiGraph, b: nx.MultiDiGraph) -> bool:
    return (
        a.graph == b.graph
        and dict(a.nodes(data=True)) == dict(b.nodes(data=True))
        and sorted(a.edges(keys=True, data=True), key=repr) == sorted(b.edges(keys=True, data=True), key=repr)
    )


def fresh(path: Path) -> nx.MultiDiGraph:
    return to_network(load([path]))


def label_of(index: object, cid: str) -> str:
    return index.concepts[cid].label  # type: ignore[attr-defined]


def test_a_warm_projection_equals_a_fresh_one(cache: Path, small: Path) -> None:
    cold_net, cold_index = netcache.projection([small])
    assert len(entries(cache)) == 1
    warm_net, warm_index = netcache.projection([small])
    assert same_graph(warm_net, fresh(small)) and same_graph(cold_net, warm_net)
    assert warm_index.concepts == cold_index.concepts and len(warm_index) == len(cold_index) > 0
    assert warm_net is not cold_net  # every call gets its own copy to modify


def test_a_warm_projection_parses_no_rdf(cache: Path, small: Path) -> None:
    netcache.projection([small])
    code = (
        "import json, sys; from gutkg.netcache import projection; net, index = projection([sys.argv[1]]); "
        "print(json.dumps([net.number_of_edges(), sorted(m for m in sys.modules if m.startswith('rdflib'))]))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(small)],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "GUTKG_CACHE": str(cache)},
    )
    edges, rdflib_modules = json.loads(out.stdout)
    assert edges == fresh(small).number_of_edges() and rdflib_modules == []


def edit_label(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert f'"{old}"@en' in text
    path.write_text(text.replace(f'"{old}"@en', f'"{new}"@en', 1), encoding="utf-8")


def test_an_edited_file_is_never_served_from_the_cache(cache: Path, small: Path) -> None:
    _, index = netcache.projection([small])
    assert label_of(index, "alpha") == "alpha"
    edit_label(small, "alpha", "alphA")  # same size
    _, index = netcache.projection([small])
    assert label_of(index, "alpha") == "alphA"


def test_an_edit_that_restores_size_and_mtime_is_still_seen(cache: Path, small: Path) -> None:
    """The ctime (set by the kernel on every write, not by touch) keys the entry too."""
    netcache.projection([small])
    before = small.stat()
    edit_label(small, "alpha", "Alpha")
    os.utime(small, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert small.stat().st_size == before.st_size and small.stat().st_mtime_ns == before.st_mtime_ns
    _, index = netcache.projection([small])
    assert label_of(index, "alpha") == "Alpha"


def test_a_new_file_in_the_graph_folder_is_seen(cache: Path, small: Path) -> None:
    netcache.projection([small.parent])
    extra = small.parent / "more.ttl"
    extra.write_text(
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        "@prefix gkc: <https://w3id.org/gutkg/concept/> .\n"
        'gkc:alpha skos:altLabel "the first one"@en .\n',
        encoding="utf-8",
    )
    _, index = netcache.projection([small.parent])
    assert "the first one" in index.concepts["alpha"].synonyms


def test_a_file_changed_during_the_build_is_not_cached(
    cache: Path, small: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_build = netcache._build

    def build_then_edit(*args: object, **kwargs: object) -> object:
        built = real_build(*args, **kwargs)  # type: ignore[arg-type]
        edit_label(small, "beta", "betA")  # a curator saves while we project
        return built

    monkeypatch.setattr(netcache, "_build", build_then_edit)
    netcache.projection([small])
    assert entries(cache) == []  # what was built may predate the edit: not kept
    monkeypatch.setattr(netcache, "_build", real_build)
    _, index = netcache.projection([small])
    assert label_of(index, "beta") == "betA"


def test_a_just_written_file_is_not_cached_yet(cache: Path, small: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A second same-size save within one file-system timestamp tick would keep the stat: an entry is
    only written once every input is older than the racy window (here an hour, so surely)."""
    monkeypatch.setattr(netcache, "RACY_SECONDS", 3600.0)
    net, _ = netcache.projection([small])
    assert same_graph(net, fresh(small))
    assert entries(cache) == []
    old = small.stat().st_mtime - 7200
    os.utime(small, (old, old))  # the ctime stays recent: still not cached
    netcache.projection([small])
    assert entries(cache) == []
    monkeypatch.setattr(netcache, "RACY_SECONDS", 0.0)
    netcache.projection([small])
    assert len(entries(cache)) == 1


@pytest.mark.parametrize("damage", ["truncated", "flipped byte", "garbage", "empty", "wrong object"])
def test_a_damaged_entry_is_rebuilt(cache: Path, small: Path, damage: str) -> None:
    netcache.projection([small])
    (entry,) = entries(cache)
    raw = entry.read_bytes()
    if damage == "truncated":
        entry.write_bytes(raw[: len(raw) // 2])
    elif damage == "flipped byte":
        entry.write_bytes(raw[:-10] + bytes([raw[-10] ^ 0xFF]) + raw[-9:])
    elif damage == "garbage":
        entry.write_bytes(os.urandom(4096))
    elif damage == "empty":
        entry.write_bytes(b"")
    else:  # a valid entry holding something else
        import hashlib
        import pickle

        payload = pickle.dumps({"not": "a projection"})
        entry.write_bytes(netcache.MAGIC + hashlib.sha256(payload).digest() + payload)
    assert netcache.read_entry(entry) is None
    net, _ = netcache.projection([small])
    assert same_graph(net, fresh(small))
    assert netcache.read_entry(entry) is not None  # rewritten whole


def test_an_unreadable_entry_and_an_unwritable_cache_still_give_the_projection(cache: Path, small: Path) -> None:
    key = netcache.stat_key(netcache_files(small), "memory")
    (cache / "network" / f"{key}.pickle").mkdir(parents=True)  # cannot be read, nor replaced
    net, _ = netcache.projection([small])
    assert same_graph(net, fresh(small))
    assert [p.name for p in (cache / "network").iterdir()] == [f"{key}.pickle"]  # no temp file left


def test_a_cache_path_that_is_a_file_still_gives_the_projection(
    tmp_path: Path, small: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv("GUTKG_CACHE", str(blocker))
    net, _ = netcache.projection([small])
    assert same_graph(net, fresh(small))


def netcache_files(path: Path) -> list[Path]:
    from gutkg.loading import input_files

    return input_files([path])


def test_an_interrupted_write_leaves_the_old_entry_whole(
    cache: Path, small: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, index = netcache.projection([small])
    (entry,) = entries(cache)
    before = entry.read_bytes()

    def interrupted(src: object, dst: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "rename", interrupted)  # cache entries are renamed into place (gutkg.atomic)
    assert netcache.write_entry(entry, (nx.MultiDiGraph(), index)) is False
    monkeypatch.undo()
    assert entry.read_bytes() == before
    assert [p.name for p in (cache / "network").iterdir()] == [entry.name]  # the temp file is gone
    assert entry.stat().st_mode & 0o077 == 0  # private to its owner


def test_the_cache_lives_where_gutkg_cache_or_xdg_say(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GUTKG_CACHE", str(tmp_path / "explicit"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert netcache.cache_folder() == tmp_path / "explicit" / "network"
    monkeypatch.delenv("GUTKG_CACHE")
    assert netcache.cache_folder() == tmp_path / "xdg" / "gutkg" / "network"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/path")  # invalid per the XDG spec: ignored
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert netcache.cache_folder() == tmp_path / "home" / ".cache" / "gutkg" / "network"


def test_only_the_newest_entries_are_kept(cache: Path, small: Path) -> None:
    for i in range(netcache.KEEP + 1):
        edit_label(small, "gamma" if i == 0 else f"gamma{i - 1}", f"gamma{i}")
        netcache.projection([small])
    assert len(entries(cache)) == netcache.KEEP
    _, index = netcache.projection([small])
    assert label_of(index, "gamma") == f"gamma{netcache.KEEP}"


def test_stores_that_are_not_the_input_files_are_not_cached(cache: Path, small: Path, tmp_path: Path) -> None:
    net, _ = netcache.projection([small], store=f"oxigraph:{tmp_path / 'ox'}")
    assert same_graph(net, fresh(small))
    assert entries(cache) == []


def test_the_build_imports_no_consumer_package() -> None:
    """Editing analysis/, cli/, export/... keeps the cache (they are left out of its code stamp), which
    is only right if building the projection runs none of their code."""
    code = (
        "import sys; from gutkg.netcache import _build; _build(None, 'memory'); _build(None, 'oxigraph'); "
        "print(' '.join(m for m in sys.modules if m.startswith('gutkg.')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "GUTKG_CACHE": "/nonexistent/gutkg-cache"},
        cwd=ROOT,
    )
    used = {m.split(".")[1] for m in out.stdout.split()}
    assert used and not used & netcache.CONSUMERS, used


def test_cli_analyses_answer_the_same_warm(cache: Path, small: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    cold = run_cli("explain", "alpha", "gamma", "--graph", str(small), "--format", "json")
    assert cold.exit_code == 0 and len(entries(cache)) == 1
    warm = run_cli("explain", "alpha", "gamma", "--graph", str(small), "--format", "json")
    assert warm.output == cold.output and json.loads(warm.output)
    edit_label(small, "gamma", "Gamma prime")
    edited = run_cli("explain", "alpha", "Gamma prime", "--graph", str(small), "--format", "json")
    assert edited.exit_code == 0 and "Gamma prime" in edited.output
