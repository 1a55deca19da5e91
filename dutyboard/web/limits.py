"""Rate limits: a token bucket per token, and one per client address for failed logins."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class RateLimiter:
    """`rate_per_minute` sustained with bursts of `burst`, per key; thread-safe."""

    #: Buckets kept before idle full ones are forgotten.
    MAX_KEYS = 10_000

    def __init__(
        self, rate_per_minute: int, burst: int, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.rate = rate_per_minute / 60.0
        self.burst = float(burst)
        self._clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def take(self, key: str) -> float:
        """0 when the request may go ahead (one token taken), else seconds until it may."""
        now = self._clock()
        with self._lock:
            tokens, since = self._buckets.get(key, (self.burst, now))
            tokens = min(self.burst, tokens + (now - since) * self.rate)
            if tokens >= 1.0:
                self._buckets[key] = (tokens - 1.0, now)
                wait = 0.0
            else:
                self._buckets[key] = (tokens, now)
                wait = (1.0 - tokens) / self.rate
            if len(self._buckets) > self.MAX_KEYS:
                self._forget_full(now)
        return wait

    def peek(self, key: str) -> bool:
        """Whether the key's bucket is empty now (a request would be refused); takes nothing."""
        now = self._clock()
        with self._lock:
            tokens, since = self._buckets.get(key, (self.burst, now))
        return tokens + (now - since) * self.rate < 1.0

    def _forget_full(self, now: float) -> None:
        for key, (tokens, since) in list(self._buckets.items()):
            if tokens + (now - since) * self.rate >= self.burst:
                del self._buckets[key]
