"""Per-user cooldown shared by /ask and by questions in DMs and mentions."""

from __future__ import annotations

import math
import time
from collections import OrderedDict

_MAX_TRACKED = 10_000


class Cooldown:
    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._last: OrderedDict[int, float] = OrderedDict()

    def retry_after(self, user_id: int, now: float | None = None) -> int:
        """0 if the user may ask now (and records the question), else whole seconds to wait."""
        if self.seconds <= 0:
            return 0
        now = time.monotonic() if now is None else now
        last = self._last.get(user_id)
        if last is not None and now - last < self.seconds:
            return max(1, math.ceil(self.seconds - (now - last)))
        self._last[user_id] = now
        self._last.move_to_end(user_id)
        while len(self._last) > _MAX_TRACKED:
            self._last.popitem(last=False)
        return 0
