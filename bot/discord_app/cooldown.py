"""Per-user cooldown shared by /ask and by questions (and "help") in DMs and mentions.

A user who asks again too soon is told once per cooldown window and then ignored until it ends; and "slow
down" notices across all users are capped per second, so a flood cannot spend the REST budget that real
answers need."""

from __future__ import annotations

import math
import time
from collections import OrderedDict, deque
from dataclasses import dataclass

_MAX_TRACKED = 10_000
NOTICES_PER_SECOND = 5


@dataclass(frozen=True, slots=True)
class Turn:
    """May the user ask now (wait == 0)?  Otherwise how long to wait, and whether to tell them (the first
    refusal of this window, within the notice budget)."""

    wait: int
    tell: bool = False


class Cooldown:
    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        # user -> (when their window started, whether they were told to slow down in it)
        self._windows: OrderedDict[int, tuple[float, bool]] = OrderedDict()
        self._notices: deque[float] = deque()

    def take(self, user_id: int, now: float | None = None) -> Turn:
        """Turn(0) if the user may ask now (and starts their window), else how long to wait and whether to say so."""
        if self.seconds <= 0:
            return Turn(0)
        now = time.monotonic() if now is None else now
        window = self._windows.get(user_id)
        if window is not None and now - window[0] < self.seconds:
            start, told = window
            wait = max(1, math.ceil(self.seconds - (now - start)))
            if told or not self._may_notify(now):
                return Turn(wait)
            self._windows[user_id] = (start, True)
            return Turn(wait, tell=True)
        self._windows[user_id] = (now, False)
        self._windows.move_to_end(user_id)
        while len(self._windows) > _MAX_TRACKED:
            self._windows.popitem(last=False)
        return Turn(0)

    def retry_after(self, user_id: int, now: float | None = None) -> int:
        """0 if the user may ask now (and records the question), else whole seconds to wait."""
        return self.take(user_id, now).wait

    def _may_notify(self, now: float) -> bool:
        while self._notices and now - self._notices[0] >= 1:
            self._notices.popleft()
        if len(self._notices) >= NOTICES_PER_SECOND:
            return False
        self._notices.append(now)
        return True
