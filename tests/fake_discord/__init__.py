"""A fake Discord (REST v10 + gateway) that the real discord.py client can connect to.

See :mod:`tests.fake_discord.server` for :class:`FakeDiscord` and
:mod:`tests.fake_discord.payloads` for the payload builders.
"""

from . import payloads
from .server import MESSAGE_ROUTES, FakeDiscord, FakeInteraction, GatewayRecord, Record, RecordedFile, message_bodies

__all__ = [
    "MESSAGE_ROUTES",
    "FakeDiscord",
    "FakeInteraction",
    "GatewayRecord",
    "Record",
    "RecordedFile",
    "message_bodies",
    "payloads",
]
