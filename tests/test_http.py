"""The HTTP client against a local server: redirects, loops, Retry-After, timeouts, huge and malformed
answers, per-host spacing, the budget, the cache and an unreachable host. No request leaves the machine."""

from __future__ import annotations

import socket

import pytest

from llmpapers.errors import LlmpapersError
from llmpapers.resolve.http import BudgetSpent, Client, NetworkError, Policy, retry_after
from llmpapers.resolve.services import BadAnswer, Services, ask_dblp

SITE = "http://links.example.org"


class Clock:
    """A fake clock whose sleep advances it: waits are counted, never slept."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.slept.append(round(seconds, 2))
        self.now += seconds

    def time(self) -> float:
        return self.now


def client(server, clock=None, **policy) -> Client:
    clock = clock or Clock()
    policy.setdefault("default_interval", 0.0)
    return Client(None, Policy(**policy), proxy=server.url, sleep=clock.sleep, clock=clock.time)


def test_redirects_are_followed_and_reported(server):
    with client(server) as c:
        moved = c.head(f"{SITE}/moved")
        temp = c.head(f"{SITE}/temp")
        loop = c.head(f"{SITE}/loop")
    assert (moved.status, moved.url, moved.redirects) == (200, f"{SITE}/ok-new", ((301, f"{SITE}/moved"),))
    assert (temp.status, temp.redirects) == (200, ((302, f"{SITE}/temp"),))
    assert (loop.status, loop.problem) == (0, "more than 10 redirects (a loop?)")


def test_retry_after_is_honoured_and_bounded(server):
    clock = Clock()
    with client(server, clock) as c:
        assert c.get(f"{SITE}/limited-once").status == 200
    assert clock.slept == [1.0]
    clock = Clock()
    with client(server, clock, retries=2) as c:
        assert c.get(f"{SITE}/limited").status == 429  # still limited after two waits: returned as it is
    assert clock.slept == [1.0, 1.0]
    clock = Clock()
    with client(server, clock, max_wait=0.5) as c:
        assert c.get(f"{SITE}/limited").status == 429  # asks for longer than we wait: not retried
    assert clock.slept == []
    clock = Clock()
    with client(server, clock, retries=2, backoff=0.5) as c:
        assert c.get(f"{SITE}/error").status == 503
    assert clock.slept == [0.5, 1.0]  # no Retry-After: exponential backoff


def test_a_slow_host_times_out_and_an_absent_one_is_unreachable(server):
    with client(server, timeout=0.5, retries=1, backoff=0.01) as c, pytest.raises(NetworkError, match="timed out"):
        c.get(f"{SITE}/slow")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nothing listens there
    with Client(None, Policy(retries=0)) as c, pytest.raises(NetworkError, match="could not connect"):
        c.get(f"http://127.0.0.1:{port}/")


def test_a_huge_or_malformed_answer_is_an_error_not_a_hang(server):
    with client(server) as c, pytest.raises(LlmpapersError, match="over 5 MB"):
        c.get(f"{SITE}/huge")
    services = Services(dblp=f"{SITE}/notjson")
    with client(server) as c, pytest.raises(BadAnswer, match="DBLP answered with something that is not JSON"):
        ask_dblp(c, services, "FlashAttention")


def test_head_falls_back_to_a_ranged_get(server):
    with client(server) as c:
        reply = c.head(f"{SITE}/nohead")
    assert reply.status == 206
    assert [m for m, p in server.log if p.endswith("/nohead")][-2:] == ["HEAD", "GET"]


def test_requests_to_one_host_are_spaced_and_the_budget_stops_the_run(server):
    clock = Clock()
    with client(server, clock, intervals={"links.example.org": 3.0}, budget=2) as c:
        c.get(f"{SITE}/ok", cache=False)
        c.get(f"{SITE}/ok", cache=False)
        with pytest.raises(BudgetSpent, match="stopped after 2 requests"):
            c.get(f"{SITE}/ok", cache=False)
    assert clock.slept == [3.0]


def test_definitive_answers_are_cached_on_disk(server, tmp_path):
    before = len([p for _, p in server.log if p.endswith("/gone")])
    for _ in range(2):
        with Client(tmp_path, Policy(), proxy=server.url) as c:
            reply = c.get(f"{SITE}/gone")
    assert (reply.status, reply.cached) == (410, True)
    assert len([p for _, p in server.log if p.endswith("/gone")]) == before + 1


def test_the_user_agent_names_the_tool_and_the_contact():
    with Client(None, mailto="curator@example.org") as c:
        assert c.user_agent.startswith("llmpapers/") and "mailto:curator@example.org" in c.user_agent


def test_retry_after_as_a_date():
    assert 0 <= retry_after("Wed, 21 Oct 2015 07:28:00 GMT", 5.0) < 1  # in the past: no wait


def test_no_network_library_is_loaded_with_the_package():
    import subprocess
    import sys

    code = "import sys, llmpapers.cli, llmpapers.resolve.services; print('httpx' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.strip() == "False"
