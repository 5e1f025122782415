"""A fake Discord (REST v10 + gateway) that the real discord.py client can connect to.

See :mod:`tests.fake_discord.server` for :class:`FakeDiscord` and
:mod:`tests.fake_discord.payloads` for the payload builders.
"""

from . import payloads
from .server import FakeDiscord, FakeInteraction, GatewayRecord, Record, RecordedFile

__all__ = ["FakeDiscord", "FakeInteraction", "GatewayRecord", "Record", "RecordedFile", "payloads"]
