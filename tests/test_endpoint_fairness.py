"""Fair sharing of the query workers (issue 15.2), against a real ``gutkg serve`` on loopback.

Every assertion is about order or about events the server reports (a worker replaced, a counter
raised, what a reply says), never about how fast something was: the tests must hold on a busy
2-core machine. Clients are told apart by their address; 127.0.0.2 is loopback too.
"""

from __future__ import annotations

import http.client
import json
import re
import socket
import threading
import time
import urllib.parse

import pytest

from tests.endpoint import start_endpoint

PROBE = "ASK { gkc:probiotics a gkv:Intervention }"
#: Four copies of every triple joined freely: far past any time limit used here.
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def runaway(n: int) -> str:
    """A distinct runaway query (the trailing comment defeats the answer cache)."""
    return f"{RUNAWAY} # {n}"


def wait_for(condition, what: str, limit: float = 120.0):
    """Poll ``condition`` until it returns a true value; fail (saying ``what``) after ``limit`` s.
    The limit only stops a hang: nothing here measures time."""
    end = time.monotonic() + limit
    while time.monotonic() < end:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def open_request(server, query: str) -> socket.socket:
    """Send a GET for ``query`` on a raw connection and return the socket without reading."""
    sock = socket.create_connection((server.host, server.port), timeout=120)
    path = "/sparql?" + urllib.parse.urlencode({"query": query})
    sock.sendall(f"GET {path} HTTP/1.1\r\nHost: {server.host}\r\n\r\n".encode())
    return sock


def get_from(server, query: str, source: str = "127.0.0.1"):
    """(status, body) of a GET sent from the loopback address ``source``."""
    conn = http.client.HTTPConnection(server.host, server.port, timeout=300, source_address=(source, 0))
    try:
        conn.request("GET", "/sparql?" + urllib.parse.urlencode({"query": query}))
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


@pytest.fixture
def slow_server(tmp_path):
    """A long time limit, so only the client hanging up can stop a runaway early."""
    running = start_endpoint(tmp_path, "--timeout", "600", "--workers", "2", "--cache-mb", "0")
    yield running
    running.stop()


def test_abandoned_requests_stop_running_and_queued_ones_never_start(slow_server):
    before = slow_server.health()
    old = set(before["worker_pids"])
    socks = [open_request(slow_server, runaway(i)) for i in range(2)]
    wait_for(lambda: slow_server.health()["queries"] >= before["queries"] + 2, "both runaways to start")
    queued = open_request(slow_server, runaway(2))  # queued: both workers are busy
    wait_for(lambda: slow_server.health()["queued"] >= 1, "the third request to queue")
    queued.close()  # its client hangs up first: it is dropped from the queue
    wait_for(lambda: (h := slow_server.health())["abandoned"] >= 1 and h["queued"] == 0, "the drop")
    for sock in socks:  # then the two running ones hang up
        sock.close()
    after = wait_for(
        lambda: (
            (h := slow_server.health())["abandoned"] >= 3
            and h["alive_workers"] == 2
            and not set(h["worker_pids"]) & old
            and h
        ),
        "the abandoned work to stop",
    )
    assert after["timeouts"] == before["timeouts"], "stopped because the clients left, not by the limit"
    assert after["queries"] == before["queries"] + 2, "the queued request was dropped, never run"
    assert after["restarts"] == before["restarts"] + 2
    status, body = get_from(slow_server, PROBE)
    assert status == 200 and json.loads(body)["boolean"] is True


@pytest.mark.parametrize("normal", ["other address", "same address, keep-alive"])
def test_a_normal_client_is_served_before_a_flood_from_one_client_finishes(tmp_path, normal):
    """Six runaways from 127.0.0.1 (each on a new connection) against two workers; a normal client
    asks a small question once the flood holds both workers. From another address, or from the
    same address on a connection that has been sending short queries (a script or a browser tab
    on the same machine), it is answered while the flood is still running."""
    running = start_endpoint(tmp_path, "--timeout", "4", "--workers", "2", "--cache-mb", "0")
    keep_alive = None
    try:
        if normal == "same address, keep-alive":
            keep_alive = http.client.HTTPConnection(
                running.host, running.port, timeout=300, source_address=("127.0.0.1", 0)
            )
        ask = lambda q: _ask(keep_alive, q) if keep_alive else get_from(running, q, "127.0.0.2")  # noqa: E731
        assert ask(PROBE + " # before")[0] == 200
        before = running.health()
        finished: list[str] = []
        lock = threading.Lock()

        def flood(i: int) -> None:
            status, body = get_from(running, runaway(i), "127.0.0.1")
            with lock:
                finished.append(f"flood {status} {body[:60]!r}")

        threads = [threading.Thread(target=flood, args=(i,)) for i in range(6)]
        for t in threads:
            t.start()
        wait_for(lambda: running.health()["queries"] >= before["queries"] + 2, "the flood to fill the workers")
        status, body = ask(PROBE)
        with lock:
            flood_done = len(finished)
        assert status == 200 and json.loads(body)["boolean"] is True
        # the flooding client now holds at most one worker, so the other stays free for others
        status, _ = ask(PROBE + " # again")
        with lock:
            flood_done_again = len(finished)
        assert status == 200
        for t in threads:
            t.join(timeout=600)
        assert len(finished) == 6
        assert flood_done < 6, f"the normal client waited for the whole flood: {finished}"
        assert flood_done_again < 6, f"the second question waited for the whole flood: {finished}"
        after = running.health()
        assert after["preempted"] <= 1, "at most one query is stopped early, then the cap holds"
    finally:
        if keep_alive is not None:
            keep_alive.close()
        running.stop()


def _ask(conn: http.client.HTTPConnection, query: str):
    conn.request("GET", "/sparql?" + urllib.parse.urlencode({"query": query}))
    resp = conn.getresponse()
    return resp.status, resp.read()


def test_time_limit_counts_from_when_a_worker_starts_the_query(tmp_path):
    """Three runaways on two workers: the third waits in the queue, and still gets the whole
    time limit once a worker takes it (before, it inherited a limit already spent while queued,
    was answered 'busy' and the pool restarted workers for nothing)."""
    running = start_endpoint(tmp_path, "--timeout", "2", "--workers", "2", "--cache-mb", "0")
    try:
        before = running.health()
        replies: list[tuple[int, bytes]] = []
        threads = [threading.Thread(target=lambda i=i: replies.append(get_from(running, runaway(i)))) for i in range(3)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=600)
        assert len(replies) == 3
        for status, body in replies:
            assert status == 503, body
            assert b"stopped after the time limit of 2 s" in body, body
            ran = float(re.search(rb"after running ([0-9.]+) s on a worker", body)[1])  # type: ignore[index]
            assert ran >= 2.0, body
            assert re.search(rb"it waited [0-9.]+ s for one", body), body
        after = running.health()
        assert after["timeouts"] == before["timeouts"] + 3
        assert after["restarts"] == before["restarts"] + 3, "one restart per query stopped, no more"
    finally:
        running.stop()


def test_scheduler_order_fewest_running_per_address_then_per_connection():
    """The scheduler's choice, on the pool's own records (no worker needed: nothing is idle, so
    nothing starts by itself): a request from an address with nothing running goes before a flood
    that arrived earlier from an address already running a query; a new connection from a heavy
    address counts as heavy, one that has been answering short queries does not."""
    import asyncio

    from gutkg.sparql.pool import HEAVY_MEMORY, WorkerPool
    from gutkg.sparql.worker import Job

    pool = WorkerPool([], size=2)
    pool._started = True

    async def scenario() -> list[tuple[str, int]]:
        flood = [pool.submit(Job(f"ASK {{}} # {i}", "json", 10), 10, ("10.0.0.1", 1000 + i)) for i in range(3)]
        pool._addresses["10.0.0.1"].running = 1  # as if one of its queries were on a worker
        late = pool.submit(Job("ASK {} # late", "json", 10), 10, ("10.0.0.2", 2000))
        assert pool.queued == 4 and not any(t.worker for t in [*flood, late])
        order = []
        while (ticket := pool._next_ticket()) is not None:
            order.append(ticket.flow.key)
        return order

    order = asyncio.run(scenario())
    assert order[0] == ("10.0.0.2", 2000), "the other address goes first"
    assert sorted(order[1:]) == [("10.0.0.1", 1000), ("10.0.0.1", 1001), ("10.0.0.1", 1002)]

    now = 0.0
    address = pool._addresses["10.0.0.1"]
    address.heavy_until = now + HEAVY_MEMORY
    fresh, trusted = pool._flows[("10.0.0.1", 1000)], pool._flows[("10.0.0.1", 1001)]
    trusted.light_done = 3
    assert fresh.heavy(now) and not trusted.heavy(now)
    trusted.heavy_until = now + HEAVY_MEMORY  # its own query ran long
    assert trusted.heavy(now)
    assert not fresh.heavy(now + HEAVY_MEMORY + 1), "heaviness passes"
