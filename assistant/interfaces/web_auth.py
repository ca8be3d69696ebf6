"""The web chat's login, throttled: after a few wrong passwords a user name is locked for a while,
and each further failure doubles the lock.

Gradio calls the login check with the user name and password only (not the client's address),
so the lock is per user name: it stops guessing, and the real user waits out the same lock.
"""

from __future__ import annotations

import hmac
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

FREE_ATTEMPTS = 5  # wrong passwords before the first lock
FIRST_LOCK_SECONDS = 2.0
MAX_LOCK_SECONDS = 300.0


@dataclass
class _Failures:
    count: int = 0
    locked_until: float = 0.0


class LoginThrottle:
    """A Gradio `auth` callable for one user name and password, with a growing lock-out.

    During a lock every attempt is refused without looking at the password, so guessing gains
    nothing however many requests arrive at once.

    Example:
        >>> app.launch(auth=LoginThrottle("editor", "s3cret"))
    """

    def __init__(
        self,
        username: str,
        password: str,
        free_attempts: int = FREE_ATTEMPTS,
        first_lock: float = FIRST_LOCK_SECONDS,
        max_lock: float = MAX_LOCK_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.username = username
        self.password = password
        self.free_attempts = free_attempts
        self.first_lock = first_lock
        self.max_lock = max_lock
        self.clock = clock
        self._failures: dict[str, _Failures] = {}
        self._lock = threading.Lock()

    def __call__(self, username: str, password: str) -> bool:
        """True for the right user name and password, unless that name is locked out."""
        now = self.clock()
        with self._lock:
            failures = self._failures.setdefault(username, _Failures())
            if now < failures.locked_until:
                return False
            right = hmac.compare_digest(username.encode(), self.username.encode()) & hmac.compare_digest(
                password.encode(), self.password.encode()
            )
            if right:
                self._failures.pop(username, None)
                return True
            failures.count += 1
            if failures.count >= self.free_attempts:
                doublings = failures.count - self.free_attempts
                failures.locked_until = now + min(self.max_lock, self.first_lock * 2 ** min(doublings, 20))
            if len(self._failures) > 10_000:  # made-up user names must not grow this forever
                self._failures = {name: f for name, f in self._failures.items() if f.locked_until > now}
            return False

    def locked_for(self, username: str) -> float:
        """Seconds until `username` may try again (0 when it may now)."""
        with self._lock:
            failures = self._failures.get(username)
        return max(0.0, failures.locked_until - self.clock()) if failures else 0.0
