"""Login attempts to the web chat are throttled: a burst of wrong passwords locks the name out."""

from __future__ import annotations

import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant import Assistant
from tests.conftest import free_port


def test_wrong_passwords_lock_the_name_out_for_a_growing_time() -> None:
    from assistant.interfaces.web_auth import LoginThrottle

    now = [0.0]
    check = LoginThrottle("editor", "right", free_attempts=3, first_lock=2.0, clock=lambda: now[0])
    assert [check("editor", "wrong") for _ in range(3)] == [False] * 3
    assert not check("editor", "right")  # locked: even the right password waits
    now[0] += 2.1
    assert not check("editor", "wrong")  # one more failure: the lock doubles
    now[0] += 3.0
    assert not check("editor", "right") and check.locked_for("editor") > 0
    now[0] += 1.1
    assert check("editor", "right")  # and a success forgets the failures
    assert check.locked_for("editor") == 0.0


@pytest.fixture
def served(tmp_path: Path) -> Iterator[str]:
    from assistant.interfaces.web import serve

    port = free_port()
    app = serve(Assistant(data_dir=tmp_path / "index"), port=port, auth=("editor", "right"), block=False)
    yield f"http://127.0.0.1:{port}"
    app.close()


def _login(base: str, password: str) -> int:
    data = urllib.parse.urlencode({"username": "editor", "password": password}).encode()
    try:
        with urllib.request.urlopen(urllib.request.Request(f"{base}/login", data=data), timeout=10) as reply:
            return int(reply.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


def test_a_burst_of_wrong_passwords_over_http_is_refused_even_with_the_right_one(served: str) -> None:
    assert [_login(served, f"guess{n}") for n in range(30)] == [400] * 30
    assert _login(served, "right") == 400  # the name is locked, the guess is not even checked
    time.sleep(0.2)
    assert _login(served, "right") == 400  # still locked (2 s doubled 25 times, capped at 5 min)
