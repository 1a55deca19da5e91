"""One thread watches the board and fans a fresh snapshot out to every open page.

The thread waits on the board's change watcher (a committed write wakes it within a fraction
of a second), reads one snapshot through the service layer and hands it to the event loop,
where each subscriber's queue keeps only the newest one: a slow phone never holds up the rest.
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
from datetime import date
from typing import Any

from dutyboard.service import live
from dutyboard.service.board import Board

log = logging.getLogger("dutyboard.web")

#: Seconds between snapshots when nothing changed (clock states move with time alone).
REFRESH_SECONDS = 30.0
#: Seconds the watcher waits per round, so a stop is noticed quickly.
WAIT_SECONDS = 0.5


class BoardFeed:
    """The newest snapshot as JSON text, pushed to subscribers on every change."""

    def __init__(self, board: Board, loop: asyncio.AbstractEventLoop) -> None:
        self._board = board
        self._loop = loop
        self._subscribers: set[asyncio.Queue[str | None]] = set()
        self._latest: str | None = None
        self._overrides: dict[date, bool] | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="dutyboard-feed", daemon=True)

    # ------------------------------------------------------------ on the event loop

    def start(self) -> None:
        self._thread.start()

    def subscribe(self) -> asyncio.Queue[str | None]:
        """A queue getting the newest snapshot now (if any) and after each change; None ends it."""
        queue: asyncio.Queue[str | None] = asyncio.Queue(maxsize=1)
        if self._latest is not None:
            queue.put_nowait(self._latest)
        self._subscribers.add(queue)
        return queue

    def unsubscribe(self, queue: asyncio.Queue[str | None]) -> None:
        self._subscribers.discard(queue)

    @property
    def subscribers(self) -> int:
        return len(self._subscribers)

    def _publish(self, text: str | None) -> None:
        if text is not None:
            self._latest = text
        for queue in list(self._subscribers):
            if queue.full():
                queue.get_nowait()  # the page has not taken the previous one: the newest wins
            queue.put_nowait(text)

    async def stop(self) -> None:
        """End every stream and the thread."""
        self._stop.set()
        self._publish(None)
        await asyncio.to_thread(self._thread.join, 5.0)

    # ------------------------------------------------------------ on the feed thread

    def _run(self) -> None:
        watch: live.BoardWatch | None = None
        try:
            while not self._stop.is_set():
                try:
                    if watch is None:
                        watch = live.BoardWatch(self._board)
                    # A `calendar set` elsewhere changes the deadlines of what is opened here.
                    overrides = live.calendar_overrides()
                    if overrides != self._overrides:
                        self._board.reload_calendar()
                        self._overrides = overrides
                    self._send(live.snapshot(self._board))
                    waited = 0.0
                    while not self._stop.is_set() and waited < REFRESH_SECONDS:
                        if watch.wait(WAIT_SECONDS):
                            break
                        waited += WAIT_SECONDS
                except Exception:
                    log.exception("the board feed could not read the board; retrying")
                    if watch is not None:
                        watch.close()
                        watch = None
                    self._stop.wait(1.0)
        finally:
            if watch is not None:
                watch.close()

    def _send(self, snapshot: dict[str, Any]) -> None:
        text = json.dumps(snapshot, ensure_ascii=False, separators=(",", ":"))
        try:
            self._loop.call_soon_threadsafe(self._publish, text)
        except RuntimeError:  # the loop closed while we read: we are shutting down
            self._stop.set()
