"""An in-process fake Discord (REST API v10 + gateway) for end-to-end tests.

The real discord.py client connects to it over 127.0.0.1::

    async with FakeDiscord(guilds=[payloads.guild_create(name="g")]) as fake:   # starts + patches
        bot = commands.Bot(..., guild_ready_timeout=0.05)
        await bot.login("token")
        task = asyncio.create_task(bot.connect())
        await bot.wait_until_ready()
        ...
        await bot.close(); await task

What discord.py must be pointed at (``fake.patch_discord()`` does all of it):

* ``discord.http.Route.BASE`` - every REST call, *including* interaction callbacks,
  followups and ``@original`` edits: ``discord/webhook/async_.py`` imports the very same
  ``Route`` class from ``discord.http`` (it has no base URL of its own).
* ``discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY`` - ``Client.connect()`` never asks
  ``GET /gateway/bot``; it connects straight to this URL (so does ``AutoShardedClient``
  when ``shard_count`` is given, and every client after an INVALID_SESSION).
* ``discord.asset.Asset.BASE`` - CDN URL, so an accidental avatar/asset fetch hits the
  fake (404, recorded) instead of the internet.
"""

# The waiting helpers deliberately take ``timeout=`` (test ergonomics), hence ASYNC109.
# ruff: noqa: ASYNC109

from __future__ import annotations

import asyncio
import contextlib
import copy
import json
import re
import secrets
import struct
import time
import zlib
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

from . import payloads as P
from .command_rules import bulk_errors, command_errors
from .command_rules import error as _err
from .command_rules import form_error as _form_error

API_PREFIX_RE = re.compile(r"^/api(?:/v\d+)?(?=/)")

# error bodies exactly as Discord sends them
UNAUTHORIZED = {"message": "401: Unauthorized", "code": 0}
NOT_FOUND = {"message": "404: Not Found", "code": 0}
MISSING_ACCESS = {"message": "Missing Access", "code": 50001}
UNKNOWN_CHANNEL = {"message": "Unknown Channel", "code": 10003}
UNKNOWN_GUILD = {"message": "Unknown Guild", "code": 10004}
UNKNOWN_MEMBER = {"message": "Unknown Member", "code": 10007}
UNKNOWN_MESSAGE = {"message": "Unknown Message", "code": 10008}
UNKNOWN_USER = {"message": "Unknown User", "code": 10013}
UNKNOWN_WEBHOOK = {"message": "Unknown Webhook", "code": 10015}
UNKNOWN_INTERACTION = {"message": "Unknown interaction", "code": 10062}
UNKNOWN_COMMAND = {"message": "Unknown application command", "code": 10063}
ALREADY_ACKNOWLEDGED = {"message": "Interaction has already been acknowledged.", "code": 40060}
EMPTY_MESSAGE = {"message": "Cannot send an empty message", "code": 50006}
TOO_LARGE = {"message": "Request entity too large", "code": 40005}
# Discord's upload limit for a bot's message in a server without boosts, and its most files per message.
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_FILES = 10
EMBED_URL_SCHEMES = ("http", "https", "attachment")

# which callback types each interaction type accepts (Discord rejects the others)
_ALLOWED_CALLBACKS = {
    P.PING: {1},
    P.APPLICATION_COMMAND: {4, 5, 9, 12},
    P.MESSAGE_COMPONENT: {4, 5, 6, 7, 9, 12},
    P.AUTOCOMPLETE: {8},
    P.MODAL_SUBMIT: {4, 5, 6, 7},
}
LOADING_FLAG = 128
EPHEMERAL_FLAG = 64


@dataclass
class RecordedFile:
    """A file part of a multipart request (``field`` is e.g. ``files[0]``)."""

    field: str
    filename: str | None
    content_type: str | None
    data: bytes

    @property
    def name(self) -> str | None:
        return self.filename

    @property
    def size(self) -> int:
        return len(self.data)


@dataclass
class Record:
    """One HTTP request the fake received, with the response it gave."""

    index: int
    method: str
    path: str  # relative to the API base, e.g. "/channels/123/messages"
    query: dict[str, str]
    json: Any  # parsed JSON body, or parsed payload_json for multipart; None if no body
    files: list[RecordedFile]
    headers: dict[str, str]
    time: float
    route: str | None = None  # e.g. "POST /channels/{channel_id}/messages"; None = unknown route
    params: dict[str, str] = field(default_factory=dict)
    form: dict[str, str] = field(default_factory=dict)  # other (non-file) multipart fields
    status: int = 0
    response: Any = None
    raw_path: str = ""

    @property
    def unknown(self) -> bool:
        return self.route is None

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    def __repr__(self) -> str:
        body = json.dumps(self.json)[:120] if self.json is not None else ""
        extra = f" files={[f.filename for f in self.files]}" if self.files else ""
        return f"<Record #{self.index} {self.method} {self.path} -> {self.status} {body}{extra}>"


# the routes by which the bot shows a message: interaction callbacks, followups, webhook edits, channel messages
MESSAGE_ROUTES = frozenset(
    {
        "POST /interactions/{interaction_id}/{token}/callback",
        "POST /webhooks/{application_id}/{token}",
        "PATCH /webhooks/{application_id}/{token}/messages/{message_id}",
        "POST /channels/{channel_id}/messages",
        "PATCH /channels/{channel_id}/messages/{message_id}",
    }
)


def message_bodies(records: Iterable[Record]) -> list[tuple[Record, dict[str, Any]]]:
    """Every request among ``records`` that shows a message, with the body that shows it (of a callback, the
    ``data`` of a type 4 or 7 one; 5 defer, 6 ack, 8 choices and 9 a form show no message)."""
    out = []
    for record in records:
        if record.route not in MESSAGE_ROUTES or not isinstance(record.json, dict):
            continue
        body = record.json
        if record.route.endswith("/callback"):
            if body.get("type") not in (4, 7):
                continue
            body = body.get("data") or {}
        out.append((record, body))
    return out


@dataclass
class GatewayRecord:
    """One gateway frame. ``direction``: "recv" (client -> fake) or "send" (fake -> client)."""

    index: int
    direction: str
    connection: int
    shard_id: int | None
    op: int | None
    t: str | None
    s: int | None
    d: Any
    time: float


@dataclass
class FakeInteraction:
    id: int
    token: str
    type: int
    payload: dict[str, Any]
    created: float
    response_type: int | None = None
    response: Any = None
    original_message_id: int | None = None
    deferred_loading: bool = False
    followup_ids: list[int] = field(default_factory=list)

    @property
    def channel_id(self) -> int:
        return int(self.payload.get("channel_id") or self.payload["channel"]["id"])

    @property
    def guild_id(self) -> int | None:
        g = self.payload.get("guild_id")
        return int(g) if g else None


class GatewayConnection:
    def __init__(self, fake: FakeDiscord, ws: web.WebSocketResponse, query: Mapping[str, str], conn_id: int):
        self.fake = fake
        self.ws = ws
        self.query = dict(query)
        self.id = conn_id
        self.shard_id: int | None = None
        self.shard_count: int | None = None
        self.seq = 0
        self.session_id: str | None = None
        self.identify: dict[str, Any] | None = None
        self.ready = asyncio.Event()  # READY + all GUILD_CREATEs (or RESUMED) sent
        self.closed = False
        self.lock = asyncio.Lock()
        self.compressor = (
            zlib.compressobj() if fake.zlib_stream and self.query.get("compress") == "zlib-stream" else None
        )

    @property
    def effective_shard(self) -> int:
        return self.shard_id or 0

    async def _send_locked(self, payload: dict[str, Any]) -> None:
        self.fake._log_gateway("send", self, payload)
        text = json.dumps(payload)
        if self.compressor is not None:
            data = self.compressor.compress(text.encode()) + self.compressor.flush(zlib.Z_SYNC_FLUSH)
            await self.ws.send_bytes(data)
        else:
            await self.ws.send_str(text)

    async def send(self, op: int, d: Any = None) -> None:
        async with self.lock:
            await self._send_locked({"op": op, "d": d, "s": None, "t": None})

    async def dispatch(self, event: str, data: Any) -> int:
        async with self.lock:
            self.seq += 1
            await self._send_locked({"op": 0, "t": event, "s": self.seq, "d": data})
            if self.session_id is not None:
                self.fake._sessions[self.session_id]["seq"] = self.seq
            return self.seq


class _Patch:
    """Undo handle returned by :meth:`FakeDiscord.patch_discord`: call it, or use it as
    a context manager."""

    def __init__(self, undo: Callable[[], None]):
        self._undo: Callable[[], None] | None = undo

    def __call__(self) -> None:
        if self._undo is not None:
            undo, self._undo = self._undo, None
            undo()

    def __enter__(self) -> _Patch:
        return self

    def __exit__(self, *exc: object) -> None:
        self()


Handler = Callable[..., Awaitable[tuple[int, Any]]]


class FakeDiscord:
    """Fake Discord REST + gateway server bound to 127.0.0.1 on a random port.

    Parameters
    ----------
    guilds:
        ``GUILD_CREATE`` payloads (see :func:`payloads.guild_create`). The bot's member
        is added to each at start-up. Each guild goes to shard ``(id >> 22) % count``.
    shard_count:
        Reported by ``GET /gateway/bot`` (used by ``AutoShardedClient`` without
        ``shard_count``).  Shards actually connecting may use any count they IDENTIFY with.
    bot_token_ok:
        ``callable(token) -> bool``; a rejected token gets 401 on REST and close code
        4004 on the gateway. Default: any token except ``bad_token``.
    bad_token:
        Token rejected by the default ``bot_token_ok`` (``"bad-token"``).
    interaction_ack_deadline:
        Seconds within which the initial interaction callback must arrive (Discord: 3s),
        else 404 Unknown interaction (10062). ``None`` disables.
    validate:
        Enforce Discord's message limits (content 2000, 10 embeds, embed 6000 total,
        field counts, 5 action rows, 25 choices, 10 files and 10 MiB of uploads, embed
        image URLs http(s) or attachment://, ...) and its rules for application
        commands (:mod:`tests.fake_discord.command_rules`) with real 400 error bodies.
    strict_channels:
        404 Unknown Channel for messages to channels the fake does not know.  Otherwise
        (default) any channel id is accepted.
    echo_bot_messages:
        Like Discord, send ``MESSAGE_CREATE`` on the gateway for messages the bot sends to
        channels (off by default: it's noise for most tests).
    zlib_stream:
        Send zlib-stream compressed binary frames when the client asks for
        ``compress=zlib-stream`` (default: plain text frames, which discord.py accepts).
    patch:
        Whether ``async with FakeDiscord(...)`` also calls :meth:`patch_discord`.
    """

    def __init__(
        self,
        guilds: Iterable[Mapping[str, Any]] = (),
        shard_count: int = 1,
        bot_token_ok: Callable[[str], bool] | None = None,
        *,
        bad_token: str | None = "bad-token",
        application_id: int = P.DEFAULT_APPLICATION_ID,
        bot_name: str = P.DEFAULT_BOT_NAME,
        bot_user: Mapping[str, Any] | None = None,
        owner: Mapping[str, Any] | None = None,
        application_flags: int = 0,
        heartbeat_interval: int = 41250,
        interaction_ack_deadline: float | None = 3.0,
        validate: bool = True,
        strict_channels: bool = False,
        echo_bot_messages: bool = False,
        zlib_stream: bool = False,
        patch: bool = True,
        host: str = "127.0.0.1",
    ):
        self.shard_count = shard_count
        self.bad_token = bad_token
        self._token_ok = bot_token_ok or (lambda token: bool(token) and token != self.bad_token)
        self._application_id = int(application_id)
        self._bot_user = dict(bot_user) if bot_user else P.bot_user(self._application_id, bot_name)
        self.owner = dict(owner) if owner else P.user(P.DEFAULT_OWNER_ID, "owner")
        self.application = P.application(
            self._application_id,
            self._bot_user["username"],
            owner=self.owner,
            bot=self._bot_user,
            flags=application_flags,
        )
        self.application_flags = application_flags
        self.heartbeat_interval = heartbeat_interval
        self.interaction_ack_deadline = interaction_ack_deadline
        self.validate = validate
        self.strict_channels = strict_channels
        self.echo_bot_messages = echo_bot_messages
        self.zlib_stream = zlib_stream
        self._auto_patch = patch
        self.host = host
        self.port: int | None = None

        self.requests: list[Record] = []
        self.gateway_log: list[GatewayRecord] = []
        self.connections: list[GatewayConnection] = []
        self.guilds: dict[int, dict[str, Any]] = {}
        self.channels: dict[int, dict[str, Any]] = {}  # guild channels + DM channels
        self.users: dict[int, dict[str, Any]] = {int(self._bot_user["id"]): self._public_user(self._bot_user)}
        self.messages: dict[int, dict[str, Any]] = {}
        self.interactions: dict[int, FakeInteraction] = {}
        self._interactions_by_token: dict[str, FakeInteraction] = {}
        self._commands: dict[int | None, list[dict[str, Any]]] = {}
        self._command_ids: dict[tuple[int | None, str, int], str] = {}
        self._sessions: dict[str, dict[str, Any]] = {}
        self._dm_by_user: dict[int, int] = {}
        self._attachments: dict[int, bytes] = {}
        self._injected: list[dict[str, Any]] = []
        self._claimed: set[int] = set()
        self._claimed_gw: set[int] = set()
        self._changed: asyncio.Event | None = None
        self._runner: web.AppRunner | None = None
        self._tasks: set[asyncio.Future[Any]] = set()
        self._patch: _Patch | None = None
        self._routes: list[tuple[str, re.Pattern[str], str, Handler, bool]] = []
        self._setup_routes()
        for g in guilds:
            self.add_guild(g)

    # ------------------------------------------------------------------ lifecycle

    async def start(self) -> FakeDiscord:
        self._changed = asyncio.Event()
        app = web.Application(client_max_size=256 * 1024 * 1024)
        app.router.add_route("GET", "/gateway", self._ws_handler)
        app.router.add_route("GET", "/gateway/", self._ws_handler)
        app.router.add_route("GET", "/attachments/{channel_id}/{attachment_id}/{filename}", self._cdn_handler)
        app.router.add_route("*", "/{tail:.*}", self._http_handler)
        self._runner = web.AppRunner(app, handle_signals=False, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, 0)
        await site.start()
        self.port = self._runner.addresses[0][1]
        return self

    async def close(self) -> None:
        if self._patch is not None:
            self._patch()
            self._patch = None
        for task in list(self._tasks):
            task.cancel()
        for conn in self.connections:
            if not conn.ws.closed:
                with contextlib.suppress(Exception):
                    await conn.ws.close(code=1001, message=b"fake discord shutting down")
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeDiscord:
        await self.start()
        if self._auto_patch:
            self._patch = self.patch_discord()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    # ------------------------------------------------------------------ properties

    @property
    def base_url(self) -> str:
        if self.port is None:
            raise RuntimeError("FakeDiscord not started")
        return f"http://{self.host}:{self.port}"

    @property
    def api_base(self) -> str:
        return f"{self.base_url}/api/v10"

    @property
    def gateway_url(self) -> str:
        return f"ws://{self.host}:{self.port}/gateway"

    @property
    def bot_user(self) -> dict[str, Any]:
        return dict(self._bot_user)

    @property
    def application_id(self) -> int:
        return self._application_id

    @property
    def unknown_requests(self) -> list[Record]:
        """Requests that hit no known route (they got 404 ``{"message": "404: Not Found"}``)."""
        return [r for r in self.requests if r.route is None]

    @property
    def identifies(self) -> list[dict[str, Any]]:
        return [r.d for r in self.gateway_log if r.direction == "recv" and r.op == 2]

    def synced_commands(self, guild_id: int | str | None = None) -> list[dict[str, Any]]:
        """Application commands as stored by the last sync (global, or for ``guild_id``)."""
        key = int(guild_id) if guild_id is not None else None
        return copy.deepcopy(self._commands.get(key, []))

    def patch_discord(self) -> _Patch:
        """Point discord.py at this fake. Returns an undo callable / context manager."""
        import discord.asset
        import discord.gateway
        import discord.http
        import yarl

        route_cls = discord.http.Route
        ws_cls = discord.gateway.DiscordWebSocket
        asset_cls = discord.asset.Asset
        old = (route_cls.BASE, ws_cls.DEFAULT_GATEWAY, asset_cls.BASE)
        route_cls.BASE = self.api_base
        ws_cls.DEFAULT_GATEWAY = yarl.URL(self.gateway_url)
        asset_cls.BASE = self.base_url

        def undo() -> None:
            route_cls.BASE, ws_cls.DEFAULT_GATEWAY, asset_cls.BASE = old

        return _Patch(undo)

    # ------------------------------------------------------------------ state helpers

    def add_guild(self, guild: Mapping[str, Any]) -> dict[str, Any]:
        """Register a guild payload (bot member injected). Returns the stored payload."""
        g = copy.deepcopy(dict(guild))
        gid = int(g["id"])
        bot_id = self._bot_user["id"]
        members = g.setdefault("members", [])
        if not any(m["user"]["id"] == bot_id for m in members):
            bot_role = P.role(
                P.snowflake(),
                self._bot_user["username"],
                permissions=P.DEFAULT_APP_PERMISSIONS,
                position=1,
                managed=True,
                tags={"bot_id": bot_id},
            )
            g.setdefault("roles", []).append(bot_role)
            members.append(P.member(self._public_user(self._bot_user), [bot_role["id"]], joined_at=P.iso()))
        g["member_count"] = max(int(g.get("member_count") or 0), len(members))
        for m in members:
            self._remember_user(m["user"])
        for c in g.get("channels", []):
            c = dict(c)
            c["guild_id"] = str(gid)
            self.channels[int(c["id"])] = c
        self.guilds[gid] = g
        return g

    def guild_shard(self, guild_id: int | str, shard_count: int | None = None) -> int:
        return P.shard_for_guild(guild_id, shard_count or self._live_shard_count())

    def message(self, message_id: int | str) -> dict[str, Any] | None:
        m = self.messages.get(int(message_id))
        return copy.deepcopy(m) if m is not None else None

    def channel_messages(self, channel_id: int | str) -> list[dict[str, Any]]:
        cid = str(channel_id)
        return [copy.deepcopy(m) for m in self.messages.values() if m["channel_id"] == cid]

    def interaction(self, interaction_id: int | str | Mapping[str, Any]) -> FakeInteraction:
        return self.interactions[_iid(interaction_id)]

    def original_message(self, interaction_id: int | str | Mapping[str, Any]) -> dict[str, Any] | None:
        """The message created/edited by the interaction's initial response (what
        ``@original`` refers to) - pass it as ``message=`` to :func:`payloads.component`."""
        it = self.interactions.get(_iid(interaction_id))
        if it is None or it.original_message_id is None:
            return None
        return self.message(it.original_message_id)

    def attachment(self, filename: str, data: bytes, *, content_type: str | None = None) -> dict[str, Any]:
        """An attachment object whose ``url`` is served by the fake (for user messages
        the bot downloads)."""
        aid = P.snowflake()
        self._attachments[int(aid)] = bytes(data)
        url = f"{self.base_url}/attachments/0/{aid}/{filename}"
        return P.attachment(filename, len(data), id=aid, url=url, content_type=content_type)

    def inject_error(self, method: str, path_pattern: str, status: int, body: Any = None, *, times: int = 1) -> None:
        """Make the next ``times`` requests matching ``method`` and the regex ``path_pattern``
        (fullmatch on the API-relative path, e.g. ``r"/channels/\\d+/messages"``) fail with
        ``status``/``body``. Note discord.py retries 500/502/504/524 (sleeping 1s+)."""
        if body is None:
            body = {"message": f"{status}: injected error", "code": 0}
        self._injected.append(
            {"method": method.upper(), "re": re.compile(path_pattern), "status": status, "body": body, "left": times}
        )

    def _public_user(self, u: Mapping[str, Any]) -> dict[str, Any]:
        private = {"verified", "mfa_enabled", "email", "locale", "premium_type"}
        return {k: v for k, v in u.items() if k not in private}

    def _remember_user(self, u: Mapping[str, Any] | None) -> None:
        if u and "id" in u and "username" in u:
            self.users.setdefault(int(u["id"]), dict(u))

    def _live_shard_count(self) -> int:
        for conn in reversed(self.connections):
            if conn.shard_count:
                return conn.shard_count
        return self.shard_count or 1

    def _notify(self) -> None:
        if self._changed is not None:
            self._changed.set()
            self._changed = asyncio.Event()

    def _log_gateway(self, direction: str, conn: GatewayConnection, payload: Mapping[str, Any]) -> None:
        self.gateway_log.append(
            GatewayRecord(
                index=len(self.gateway_log),
                direction=direction,
                connection=conn.id,
                shard_id=conn.shard_id,
                op=payload.get("op"),
                t=payload.get("t"),
                s=payload.get("s"),
                d=payload.get("d"),
                time=time.time(),
            )
        )
        self._notify()

    # ------------------------------------------------------------------ waiting

    async def _wait(self, check: Callable[[], Any], timeout: float, describe: Callable[[], str]) -> Any:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            assert self._changed is not None, "FakeDiscord not started"
            ev = self._changed
            result = check()
            if result is not None:
                return result
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise TimeoutError(describe())
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(ev.wait(), remaining)

    def _describe_requests(self, what: str) -> str:
        recent = "\n  ".join(repr(r) for r in self.requests[-15:]) or "(none)"
        return f"timed out waiting for {what}; last requests:\n  {recent}"

    async def wait_for(self, predicate: Callable[[Record], bool], timeout: float = 5.0, *, since: int = 0) -> Record:
        """Return the first request matching ``predicate`` that no earlier ``wait_for``
        returned (records are "claimed"), waiting up to ``timeout`` seconds.  ``since``
        skips records with a lower index (``len(fake.requests)`` marks "from now on")."""

        def check() -> Record | None:
            for rec in self.requests[since:]:
                if rec.index not in self._claimed and predicate(rec):
                    self._claimed.add(rec.index)
                    return rec
            return None

        return await self._wait(check, timeout, lambda: self._describe_requests("a matching request"))

    async def wait_for_interaction_response(
        self, interaction_id: int | str | Mapping[str, Any], timeout: float = 5.0
    ) -> Record:
        """The ``POST /interactions/{id}/{token}/callback`` record for this interaction.
        ``record.json`` is ``{"type": 4, "data": {...}}``."""
        iid = str(_iid(interaction_id))
        return await self.wait_for(
            lambda r: (
                r.route == "POST /interactions/{interaction_id}/{token}/callback" and r.params["interaction_id"] == iid
            ),
            timeout,
        )

    async def wait_for_followup(self, interaction: int | str | Mapping[str, Any], timeout: float = 5.0) -> Record:
        """The next ``POST /webhooks/{app}/{token}`` (followup) for this interaction."""
        token = self.interactions[_iid(interaction)].token
        return await self.wait_for(
            lambda r: r.route == "POST /webhooks/{application_id}/{token}" and r.params["token"] == token, timeout
        )

    async def wait_for_message(self, channel_id: int | str, timeout: float = 5.0) -> Record:
        """The next ``POST /channels/{channel_id}/messages``; ``record.response`` is the
        created message."""
        cid = str(_sid(channel_id))
        return await self.wait_for(
            lambda r: r.route == "POST /channels/{channel_id}/messages" and r.params["channel_id"] == cid, timeout
        )

    async def wait_for_gateway(self, predicate: Callable[[GatewayRecord], bool], timeout: float = 5.0) -> GatewayRecord:
        """First unclaimed gateway frame (either direction) matching ``predicate``."""

        def check() -> GatewayRecord | None:
            for rec in self.gateway_log:
                if rec.index not in self._claimed_gw and predicate(rec):
                    self._claimed_gw.add(rec.index)
                    return rec
            return None

        return await self._wait(
            check, timeout, lambda: f"timed out waiting for gateway frame: {self.gateway_log[-10:]}"
        )

    async def wait_until_ready(self, timeout: float = 5.0, *, shard_count: int | None = None) -> None:
        """Wait until every shard has IDENTIFYed and got READY + its GUILD_CREATEs.
        (The *bot* becomes ready ``guild_ready_timeout`` later - use ``bot.wait_until_ready()``.)"""

        def check() -> bool | None:
            live = [c for c in self.connections if not c.closed and c.ready.is_set()]
            if any(c.shard_id is None for c in live):
                return True
            count = shard_count or next((c.shard_count for c in live if c.shard_count), None)
            if count and {c.shard_id for c in live} >= set(range(count)):
                return True
            return None

        await self._wait(check, timeout, lambda: f"timed out waiting for gateway READY: {self.connections}")

    async def _connection_for(self, shard_id: int, timeout: float) -> GatewayConnection:
        def check() -> GatewayConnection | None:
            for conn in reversed(self.connections):
                if not conn.closed and conn.ready.is_set() and conn.effective_shard == shard_id:
                    return conn
            return None

        return await self._wait(check, timeout, lambda: f"no ready gateway connection for shard {shard_id}")

    # ------------------------------------------------------------------ gateway

    async def dispatch(
        self,
        event: str,
        data: Mapping[str, Any],
        shard_id: int | None = None,
        *,
        broadcast: bool = False,
        timeout: float = 5.0,
    ) -> dict[str, Any]:
        """Send an op-0 dispatch ``event`` with ``data`` (sequence numbers handled).

        Routed like Discord: to ``shard_id`` if given, else the shard of
        ``data["guild_id"]``, else shard 0 (DMs).  ``broadcast=True`` sends to every ready
        connection.  Waits (``timeout``) for the target shard to be connected.

        Side effects keep the fake consistent: INTERACTION_CREATE payloads are registered
        (so callbacks/followups are accepted) and get ``application_id`` and the synced
        command's ``data.id``/``data.guild_id``/option types filled in; MESSAGE_CREATE
        messages are stored (DM channels learned); GUILD_CREATE adds the guild.
        Returns the (possibly completed) data that was sent.
        """
        data = self._prepare_event(event, dict(data))
        if broadcast:
            conns = [c for c in self.connections if not c.closed and c.ready.is_set()]
        else:
            if shard_id is None:
                gid = data.get("guild_id") or (data.get("id") if event.startswith("GUILD_") else None)
                shard_id = self.guild_shard(gid) if gid else 0
            conns = [await self._connection_for(shard_id, timeout)]
        for conn in conns:
            await conn.dispatch(event, data)
        return data

    async def dispatch_interaction(self, payload: Mapping[str, Any], **kwargs: Any) -> dict[str, Any]:
        """``dispatch("INTERACTION_CREATE", payload)``; returns the completed payload."""
        return await self.dispatch("INTERACTION_CREATE", payload, **kwargs)

    async def interact(self, payload: Mapping[str, Any], timeout: float = 5.0) -> Record:
        """Dispatch an interaction and wait for its callback record."""
        sent = await self.dispatch_interaction(payload, timeout=timeout)
        return await self.wait_for_interaction_response(sent["id"], timeout)

    async def send_op(self, op: int, d: Any = None, shard_id: int = 0) -> None:
        """Send a raw non-dispatch opcode (7 RECONNECT, 9 INVALID_SESSION, 1 HEARTBEAT...)."""
        conn = await self._connection_for(shard_id, 5.0)
        await conn.send(op, d)

    async def disconnect(self, shard_id: int = 0, code: int = 4000) -> None:
        """Close a shard's socket server-side (4000 -> discord.py reconnects and RESUMEs;
        4004/4010-4014 are fatal for the client)."""
        conn = await self._connection_for(shard_id, 5.0)
        await conn.ws.close(code=code)

    def _prepare_event(self, event: str, data: dict[str, Any]) -> dict[str, Any]:
        if event == "INTERACTION_CREATE":
            data = copy.deepcopy(data)
            self._complete_interaction(data)
            it = FakeInteraction(
                id=int(data["id"]),
                token=data["token"],
                type=int(data["type"]),
                payload=data,
                created=time.monotonic(),
            )
            self.interactions[it.id] = it
            self._interactions_by_token[it.token] = it
            u = data.get("user") or (data.get("member") or {}).get("user")
            self._remember_user(u)
            chan = data.get("channel") or {}
            if chan.get("type") in (1, 3) and int(chan["id"]) not in self.channels:
                self.channels[int(chan["id"])] = dict(chan)
                if chan.get("type") == 1 and u:
                    self._dm_by_user.setdefault(int(u["id"]), int(chan["id"]))
            msg = data.get("message")
            if msg is not None and int(msg["id"]) not in self.messages:
                self.messages[int(msg["id"])] = copy.deepcopy(msg)
        elif event == "MESSAGE_CREATE":
            msg = copy.deepcopy(data)
            author = msg.get("author")
            self._remember_user(author)
            for m in msg.get("mentions", []):
                self._remember_user({k: v for k, v in m.items() if k != "member"})
            self.messages[int(msg["id"])] = msg
            cid = int(msg["channel_id"])
            if msg.get("guild_id") is None and cid not in self.channels and author:
                self.channels[cid] = P.dm_channel(cid, self._public_user(author))
                self._dm_by_user.setdefault(int(author["id"]), cid)
        elif event == "GUILD_CREATE" and not data.get("unavailable"):
            data = self.add_guild(data)
        return data

    def _complete_interaction(self, data: dict[str, Any]) -> None:
        data["application_id"] = str(self._application_id)
        if data.get("type") not in (P.APPLICATION_COMMAND, P.AUTOCOMPLETE) or "data" not in data:
            return
        inner = data["data"]
        cmd = self._find_command(inner.get("name", ""), inner.get("type", 1), data.get("guild_id"))
        if cmd is None:
            return
        inner["id"] = cmd["id"]
        if cmd.get("guild_id"):
            inner["guild_id"] = cmd["guild_id"]
        else:
            inner.pop("guild_id", None)
        _fix_option_types(inner.get("options", []), cmd.get("options", []))

    def _find_command(self, name: str, type_: int, guild_id: Any) -> dict[str, Any] | None:
        scopes: list[int | None] = [int(guild_id)] if guild_id else []
        scopes.append(None)
        for scope in scopes:
            for cmd in self._commands.get(scope, []):
                if cmd["name"] == name and cmd.get("type", 1) == type_:
                    return cmd
        return None

    async def _ws_handler(self, request: web.Request) -> web.StreamResponse:
        ws = web.WebSocketResponse(max_msg_size=0, autoping=True)
        await ws.prepare(request)
        conn = GatewayConnection(self, ws, request.query, len(self.connections))
        self.connections.append(conn)
        try:
            await conn.send(
                10, {"heartbeat_interval": self.heartbeat_interval, "_trace": ['["gateway-prd-fake",{"micros":1}]']}
            )
            async for msg in ws:
                if msg.type is WSMsgType.TEXT:
                    payload = json.loads(msg.data)
                elif msg.type is WSMsgType.BINARY:
                    payload = json.loads(bytes(msg.data).decode())
                else:
                    break
                self._log_gateway("recv", conn, payload)
                await self._handle_op(conn, payload)
        except (ConnectionResetError, asyncio.CancelledError):
            pass
        finally:
            conn.closed = True
            self._notify()
        return ws

    async def _handle_op(self, conn: GatewayConnection, payload: Mapping[str, Any]) -> None:
        op, d = payload.get("op"), payload.get("d")
        if op == 1:  # HEARTBEAT
            await conn.send(11)
        elif op == 2:  # IDENTIFY
            await self._identify(conn, d or {})
        elif op == 6:  # RESUME
            await self._resume(conn, d or {})
        elif op == 8:  # REQUEST_GUILD_MEMBERS
            await self._members_chunk(conn, d or {})
        # op 3 PRESENCE_UPDATE / op 4 VOICE_STATE_UPDATE: recorded only

    async def _identify(self, conn: GatewayConnection, d: Mapping[str, Any]) -> None:
        if conn.identify is not None:
            await conn.ws.close(code=4005, message=b"Already authenticated.")
            return
        if not self._token_ok(str(d.get("token") or "")):
            await conn.ws.close(code=4004, message=b"Authentication failed.")
            return
        shard = d.get("shard")
        if shard is not None:
            sid, count = int(shard[0]), int(shard[1])
            if count < 1 or not 0 <= sid < count:
                await conn.ws.close(code=4010, message=b"Invalid shard.")
                return
            conn.shard_id, conn.shard_count = sid, count
        conn.identify = dict(d)
        conn.session_id = secrets.token_hex(16)
        self._sessions[conn.session_id] = {"shard": shard, "seq": 0}
        guilds = [g for gid, g in self.guilds.items() if self._on_shard(gid, conn)]
        ready: dict[str, Any] = {
            "v": 10,
            "user": dict(self._bot_user),
            "user_settings": {},
            "guilds": [{"id": g["id"], "unavailable": True} for g in guilds],
            "session_id": conn.session_id,
            "session_type": "normal",
            "resume_gateway_url": self.gateway_url,
            "relationships": [],
            "private_channels": [],
            "presences": [],
            "guild_join_requests": [],
            "geo_ordered_rtc_regions": ["us-east", "us-central"],
            "auth": {},
            "application": {"id": str(self._application_id), "flags": self.application_flags},
            "_trace": ['["gateway-prd-fake",{"micros":1}]'],
        }
        if shard is not None:
            ready["shard"] = [conn.shard_id, conn.shard_count]
        await conn.dispatch("READY", ready)
        for g in guilds:
            await conn.dispatch("GUILD_CREATE", copy.deepcopy(g))
        conn.ready.set()
        self._notify()

    async def _resume(self, conn: GatewayConnection, d: Mapping[str, Any]) -> None:
        session = self._sessions.get(str(d.get("session_id")))
        if session is None or not self._token_ok(str(d.get("token") or "")):
            await conn.send(9, False)  # INVALID_SESSION, not resumable
            return
        shard = session["shard"]
        if shard is not None:
            conn.shard_id, conn.shard_count = int(shard[0]), int(shard[1])
        conn.session_id = str(d["session_id"])
        conn.seq = int(session["seq"])
        conn.identify = {"resumed": True, **dict(d)}
        await conn.dispatch("RESUMED", {"_trace": ['["gateway-prd-fake",{"micros":1}]']})
        conn.ready.set()
        self._notify()

    async def _members_chunk(self, conn: GatewayConnection, d: Mapping[str, Any]) -> None:
        g = self.guilds.get(int(d.get("guild_id") or 0))
        members = list(g.get("members", [])) if g else []
        if d.get("user_ids"):
            wanted = {str(u) for u in d["user_ids"]}
            members = [m for m in members if m["user"]["id"] in wanted]
        elif d.get("query"):
            q = str(d["query"]).lower()
            members = [m for m in members if m["user"]["username"].lower().startswith(q)]
        if d.get("limit"):
            members = members[: int(d["limit"])]
        chunk: dict[str, Any] = {
            "guild_id": str(d.get("guild_id")),
            "members": members,
            "chunk_index": 0,
            "chunk_count": 1,
            "not_found": [],
        }
        if d.get("nonce"):
            chunk["nonce"] = d["nonce"]
        await conn.dispatch("GUILD_MEMBERS_CHUNK", chunk)

    def _on_shard(self, guild_id: int, conn: GatewayConnection) -> bool:
        if conn.shard_id is None or not conn.shard_count:
            return True
        return P.shard_for_guild(guild_id, conn.shard_count) == conn.shard_id

    # ------------------------------------------------------------------ HTTP plumbing

    def _route(self, method: str, template: str, handler: Handler, *, auth: bool = True) -> None:
        pattern = re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", template)
        self._routes.append((method, re.compile(f"^{pattern}$"), f"{method} {template}", handler, auth))

    def _setup_routes(self) -> None:
        r = self._route
        r("GET", "/gateway", self._h_gateway)
        r("GET", "/gateway/bot", self._h_gateway_bot)
        r("GET", "/users/@me", self._h_me)
        r("PATCH", "/users/@me", self._h_me)
        r("POST", "/users/@me/channels", self._h_create_dm)
        r("GET", "/users/{user_id}", self._h_user)
        r("GET", "/oauth2/applications/@me", self._h_application)
        r("GET", "/applications/@me", self._h_application)
        for prefix in ("/applications/{application_id}", "/applications/{application_id}/guilds/{guild_id}"):
            r("GET", f"{prefix}/commands", self._h_commands_list)
            r("PUT", f"{prefix}/commands", self._h_commands_bulk)
            r("POST", f"{prefix}/commands", self._h_command_upsert)
            r("GET", f"{prefix}/commands/{{command_id}}", self._h_command_get)
            r("PATCH", f"{prefix}/commands/{{command_id}}", self._h_command_edit)
            r("DELETE", f"{prefix}/commands/{{command_id}}", self._h_command_delete)
        r("GET", "/applications/{application_id}/guilds/{guild_id}/commands/permissions", self._h_empty_list)
        r("GET", "/applications/{application_id}/entitlements", self._h_empty_list)
        r("POST", "/interactions/{interaction_id}/{token}/callback", self._h_callback, auth=False)
        r("POST", "/webhooks/{application_id}/{token}", self._h_followup, auth=False)
        for m in ("GET", "PATCH", "DELETE"):
            r(m, "/webhooks/{application_id}/{token}/messages/{message_id}", self._h_webhook_message, auth=False)
        r("GET", "/channels/{channel_id}", self._h_channel)
        r("GET", "/channels/{channel_id}/messages", self._h_history)
        r("POST", "/channels/{channel_id}/messages", self._h_send_message)
        r("GET", "/channels/{channel_id}/messages/{message_id}", self._h_get_message)
        r("PATCH", "/channels/{channel_id}/messages/{message_id}", self._h_edit_message)
        r("DELETE", "/channels/{channel_id}/messages/{message_id}", self._h_delete_message)
        r("POST", "/channels/{channel_id}/typing", self._h_no_content)
        r("PUT", "/channels/{channel_id}/messages/{message_id}/reactions/{emoji}/@me", self._h_no_content)
        r("DELETE", "/channels/{channel_id}/messages/{message_id}/reactions/{emoji}/@me", self._h_no_content)
        r("GET", "/guilds/{guild_id}", self._h_guild)
        r("GET", "/guilds/{guild_id}/channels", self._h_guild_channels)
        r("GET", "/guilds/{guild_id}/roles", self._h_guild_roles)
        r("GET", "/guilds/{guild_id}/members/{user_id}", self._h_guild_member)

    async def _read_body(self, request: web.Request, rec: Record) -> None:
        if request.content_type.startswith("multipart/"):
            reader = await request.multipart()
            async for part in reader:
                if part is None:
                    break
                name = getattr(part, "name", None) or ""
                filename = getattr(part, "filename", None)
                raw = bytes(await part.read(decode=False))  # type: ignore[union-attr]
                if filename is not None:
                    ct = part.headers.get("Content-Type")
                    rec.files.append(RecordedFile(name, filename, ct, raw))
                elif name == "payload_json":
                    rec.json = json.loads(raw.decode())
                else:
                    rec.form[name] = raw.decode(errors="replace")
        elif request.can_read_body:
            raw = await request.read()
            if raw:
                try:
                    rec.json = json.loads(raw.decode())
                except ValueError:
                    rec.form["_raw"] = raw.decode(errors="replace")

    async def _http_handler(self, request: web.Request) -> web.StreamResponse:
        m = API_PREFIX_RE.match(request.path)
        path = request.path[m.end() :] if m else request.path
        rec = Record(
            index=-1,
            method=request.method,
            path=path,
            query=dict(request.query),
            json=None,
            files=[],
            headers=dict(request.headers),
            time=time.time(),
            raw_path=request.path_qs,
        )
        status, body = 404, NOT_FOUND
        try:
            await self._read_body(request, rec)
            if m is not None:
                status, body = await self._handle(rec)
        except Exception as exc:  # surface fake bugs as 500 + record instead of a hang
            status, body = 500, {"message": f"fake discord error: {exc!r}", "code": 0}
        rec.status, rec.response = status, body
        rec.index = len(self.requests)
        self.requests.append(rec)
        self._notify()
        if body is None:
            return web.Response(status=status)
        # exactly "application/json": discord.py's json_or_text() compares the header verbatim,
        # so aiohttp's json_response ("application/json; charset=utf-8") would yield a str.
        return web.Response(status=status, body=json.dumps(body).encode(), headers={"Content-Type": "application/json"})

    async def _handle(self, rec: Record) -> tuple[int, Any]:
        for method, pattern, name, handler, auth in self._routes:
            if method != rec.method:
                continue
            match = pattern.match(rec.path)
            if match is None:
                continue
            rec.route = name
            rec.params = match.groupdict()
            if auth and not self._authorized(rec):
                return 401, UNAUTHORIZED
            for inj in self._injected:
                if inj["left"] > 0 and inj["method"] == rec.method and inj["re"].fullmatch(rec.path):
                    inj["left"] -= 1
                    return inj["status"], inj["body"]
            return await handler(rec, **rec.params)
        return 404, NOT_FOUND

    def _authorized(self, rec: Record) -> bool:
        header = rec.headers.get("Authorization", "")
        if not header.startswith("Bot "):
            return False
        return bool(self._token_ok(header[4:]))

    async def _cdn_handler(self, request: web.Request) -> web.StreamResponse:
        data = self._attachments.get(int(request.match_info["attachment_id"]))
        if data is None:
            return web.Response(status=404, text="Not Found")
        return web.Response(body=data, content_type="application/octet-stream")

    # ------------------------------------------------------------------ simple routes

    async def _h_no_content(self, rec: Record, **_: str) -> tuple[int, Any]:
        return 204, None

    async def _h_empty_list(self, rec: Record, **_: str) -> tuple[int, Any]:
        return 200, []

    async def _h_gateway(self, rec: Record) -> tuple[int, Any]:
        return 200, {"url": self.gateway_url}

    async def _h_gateway_bot(self, rec: Record) -> tuple[int, Any]:
        return 200, {
            "url": self.gateway_url,
            "shards": self.shard_count,
            "session_start_limit": {"total": 1000, "remaining": 999, "reset_after": 14400000, "max_concurrency": 1},
        }

    async def _h_me(self, rec: Record) -> tuple[int, Any]:
        if rec.method == "PATCH" and isinstance(rec.json, dict) and rec.json.get("username"):
            self._bot_user["username"] = rec.json["username"]
        return 200, dict(self._bot_user)

    async def _h_user(self, rec: Record, user_id: str) -> tuple[int, Any]:
        u = self.users.get(int(user_id)) if user_id.isdigit() else None
        return (200, dict(u)) if u else (404, UNKNOWN_USER)

    async def _h_application(self, rec: Record) -> tuple[int, Any]:
        return 200, copy.deepcopy(self.application)

    async def _h_create_dm(self, rec: Record) -> tuple[int, Any]:
        body = rec.json or {}
        uid = int(body.get("recipient_id") or 0)
        if not uid:
            return 400, _form_error({"recipient_id": _err("BASE_TYPE_REQUIRED", "This field is required")})
        cid = self._dm_by_user.get(uid)
        if cid is None or cid not in self.channels:
            u = self.users.get(uid) or P.user(uid, f"user{uid}")
            self._remember_user(u)
            chan = P.dm_channel(P.snowflake(), self._public_user(u))
            cid = int(chan["id"])
            self.channels[cid] = chan
            self._dm_by_user[uid] = cid
        return 200, copy.deepcopy(self.channels[cid])

    async def _h_channel(self, rec: Record, channel_id: str) -> tuple[int, Any]:
        c = self.channels.get(int(channel_id))
        return (200, copy.deepcopy(c)) if c else (404, UNKNOWN_CHANNEL)

    async def _h_guild(self, rec: Record, guild_id: str) -> tuple[int, Any]:
        g = self.guilds.get(int(guild_id))
        if g is None:
            return 404, UNKNOWN_GUILD
        gateway_only = {
            "joined_at",
            "large",
            "unavailable",
            "member_count",
            "voice_states",
            "members",
            "channels",
            "threads",
            "presences",
            "stage_instances",
            "guild_scheduled_events",
            "soundboard_sounds",
            "embedded_activities",
            "activity_instances",
            "application_command_counts",
            "lazy",
        }
        return 200, {k: copy.deepcopy(v) for k, v in g.items() if k not in gateway_only}

    async def _h_guild_channels(self, rec: Record, guild_id: str) -> tuple[int, Any]:
        g = self.guilds.get(int(guild_id))
        return (200, [dict(c, guild_id=guild_id) for c in g["channels"]]) if g else (404, UNKNOWN_GUILD)

    async def _h_guild_roles(self, rec: Record, guild_id: str) -> tuple[int, Any]:
        g = self.guilds.get(int(guild_id))
        return (200, copy.deepcopy(g["roles"])) if g else (404, UNKNOWN_GUILD)

    async def _h_guild_member(self, rec: Record, guild_id: str, user_id: str) -> tuple[int, Any]:
        g = self.guilds.get(int(guild_id))
        if g is None:
            return 404, UNKNOWN_GUILD
        m = next((m for m in g["members"] if m["user"]["id"] == user_id), None)
        return (200, copy.deepcopy(m)) if m else (404, UNKNOWN_MEMBER)

    # ------------------------------------------------------------------ application commands

    def _command_scope(self, application_id: str, guild_id: str | None) -> tuple[int | None, tuple[int, Any] | None]:
        if not application_id.isdigit() or int(application_id) != self._application_id:
            return None, (403, MISSING_ACCESS)
        if guild_id is None:
            return None, None
        if not guild_id.isdigit() or int(guild_id) not in self.guilds:
            return None, (403, MISSING_ACCESS)  # bot not in guild / no applications.commands scope
        return int(guild_id), None

    def _store_command(self, scope: int | None, body: Mapping[str, Any]) -> dict[str, Any]:
        cmd = copy.deepcopy(dict(body))
        ctype = int(cmd.get("type") or 1)
        key = (scope, cmd["name"], ctype)
        cid = self._command_ids.get(key) or P.snowflake()
        self._command_ids[key] = cid
        cmd.update(id=cid, application_id=str(self._application_id), version=P.snowflake(), type=ctype)
        cmd.setdefault("description", "")
        cmd.setdefault("default_member_permissions", None)
        cmd.setdefault("nsfw", False)
        for k in ("name_localizations", "description_localizations"):
            cmd.setdefault(k, None)
        if scope is not None:
            cmd["guild_id"] = str(scope)
        else:
            cmd.setdefault("dm_permission", True)
            cmd.setdefault("contexts", None)
            cmd.setdefault("integration_types", [0])
        return cmd

    async def _h_commands_list(self, rec: Record, application_id: str, guild_id: str | None = None) -> tuple[int, Any]:
        scope, error = self._command_scope(application_id, guild_id)
        return error or (200, self.synced_commands(scope))

    async def _h_commands_bulk(self, rec: Record, application_id: str, guild_id: str | None = None) -> tuple[int, Any]:
        scope, error = self._command_scope(application_id, guild_id)
        if error:
            return error
        errors = bulk_errors(rec.json) if self.validate else {}
        if errors:
            return 400, _form_error(errors)
        self._commands[scope] = [self._store_command(scope, c) for c in rec.json or []]
        return 200, self.synced_commands(scope)

    async def _h_command_upsert(self, rec: Record, application_id: str, guild_id: str | None = None) -> tuple[int, Any]:
        scope, error = self._command_scope(application_id, guild_id)
        if error:
            return error
        errors = command_errors(rec.json) if self.validate else {}
        if errors:
            return 400, _form_error(errors)
        cmd = self._store_command(scope, rec.json)
        cmds = [c for c in self._commands.get(scope, []) if c["id"] != cmd["id"]]
        existed = len(cmds) != len(self._commands.get(scope, []))
        self._commands[scope] = [*cmds, cmd]
        return (200 if existed else 201), copy.deepcopy(cmd)

    def _command_by_id(
        self, application_id: str, command_id: str, guild_id: str | None
    ) -> tuple[int | None, dict[str, Any], None] | tuple[None, None, tuple[int, Any]]:
        """The command's scope and the command itself, or the error to answer with (that of the scope, else
        404 Unknown application command)."""
        scope, error = self._command_scope(application_id, guild_id)
        if error:
            return None, None, error
        cmd = next((c for c in self._commands.get(scope, []) if c["id"] == command_id), None)
        if cmd is None:
            return None, None, (404, UNKNOWN_COMMAND)
        return scope, cmd, None

    async def _h_command_get(
        self, rec: Record, application_id: str, command_id: str, guild_id: str | None = None
    ) -> tuple[int, Any]:
        _, cmd, error = self._command_by_id(application_id, command_id, guild_id)
        return error or (200, copy.deepcopy(cmd))

    async def _h_command_edit(
        self, rec: Record, application_id: str, command_id: str, guild_id: str | None = None
    ) -> tuple[int, Any]:
        _, cmd, error = self._command_by_id(application_id, command_id, guild_id)
        if error:
            return error
        if not isinstance(rec.json, dict):
            return 400, _form_error(command_errors(rec.json))
        edited = {**cmd, **copy.deepcopy(rec.json)}
        errors = command_errors(edited) if self.validate else {}
        if errors:  # Discord checks the command as the edit would leave it, and changes nothing if it refuses
            return 400, _form_error(errors)
        cmd.update(edited, version=P.snowflake())
        return 200, copy.deepcopy(cmd)

    async def _h_command_delete(
        self, rec: Record, application_id: str, command_id: str, guild_id: str | None = None
    ) -> tuple[int, Any]:
        scope, _, error = self._command_by_id(application_id, command_id, guild_id)
        if error:
            return error
        self._commands[scope] = [c for c in self._commands.get(scope, []) if c["id"] != command_id]
        return 204, None

    # ------------------------------------------------------------------ messages

    def _validate_message(self, body: Mapping[str, Any], files: list[RecordedFile], *, edit: bool) -> Any:
        """None if fine, else (status, error body) like Discord's."""
        if not self.validate:
            return None
        if sum(f.size for f in files) > MAX_UPLOAD_BYTES:
            return 413, TOO_LARGE
        errors: dict[str, Any] = {}
        if len(files) > MAX_FILES or len(body.get("attachments") or []) > MAX_FILES:
            errors["attachments"] = _err("BASE_TYPE_MAX_LENGTH", f"Must be {MAX_FILES} or fewer in length.")
        content = body.get("content")
        if content is not None and len(str(content)) > 2000:
            errors["content"] = _err("BASE_TYPE_MAX_LENGTH", "Must be 2000 or fewer in length.")
        embeds = body.get("embeds") or []
        if len(embeds) > 10:
            errors["embeds"] = _err("BASE_TYPE_MAX_LENGTH", "Must be 10 or fewer in length.")
        total = 0
        for i, e in enumerate(embeds[:10]):
            ee: dict[str, Any] = {}
            for key, limit in (("title", 256), ("description", 4096)):
                text = str(e.get(key) or "")
                total += len(text)
                if len(text) > limit:
                    ee[key] = _err("BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length.")
            for key, sub, limit in (("footer", "text", 2048), ("author", "name", 256)):
                text = str((e.get(key) or {}).get(sub) or "")
                total += len(text)
                if len(text) > limit:
                    ee[key] = {sub: _err("BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length.")}
            for key in ("image", "thumbnail"):
                url = str((e.get(key) or {}).get("url") or "")
                scheme = url.split("://", 1)[0] if "://" in url else ""
                if url and scheme not in EMBED_URL_SCHEMES:
                    ee[key] = {
                        "url": _err(
                            "URL_TYPE_INVALID_SCHEME",
                            f'Scheme "{scheme}" is not supported. Scheme must be one of {EMBED_URL_SCHEMES}.',
                        )
                    }
            fields = e.get("fields") or []
            if len(fields) > 25:
                ee["fields"] = _err("BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
            for j, f in enumerate(fields):
                fe: dict[str, Any] = {}
                for key, limit in (("name", 256), ("value", 1024)):
                    text = str(f.get(key) or "")
                    total += len(text)
                    if not text:
                        fe[key] = _err("BASE_TYPE_REQUIRED", "This field is required")
                    elif len(text) > limit:
                        fe[key] = _err("BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length.")
                if fe:
                    ee.setdefault("fields", {})[str(j)] = fe
            if ee:
                errors.setdefault("embeds", {})[str(i)] = ee
        if total > 6000 and "embeds" not in errors:
            errors["embeds"] = _err("MAX_EMBED_SIZE_EXCEEDED", "Embed size exceeds maximum size of 6000")
        components = body.get("components") or []
        is_v2 = bool(int(body.get("flags") or 0) & (1 << 15))
        if not is_v2 and len(components) > 5:
            errors["components"] = _err("BASE_TYPE_MAX_LENGTH", "Must be 5 or fewer in length.")
        seen_ids: set[str] = set()
        for i, row in enumerate(components):
            if not is_v2 and not 1 <= len(row.get("components") or []) <= 5:
                errors.setdefault("components", {}).setdefault(str(i), {})["components"] = _err(
                    "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 5 in length."
                )
                continue
            for j, c in enumerate(row.get("components") or []):
                ce: dict[str, Any] = {}
                if len(str(c.get("custom_id") or "")) > 100:
                    ce["custom_id"] = _err("BASE_TYPE_MAX_LENGTH", "Must be 100 or fewer in length.")
                elif c.get("custom_id") and c["custom_id"] in seen_ids:
                    ce["custom_id"] = _err("COMPONENT_CUSTOM_ID_DUPLICATED", "Component custom id cannot be duplicated")
                seen_ids.add(str(c.get("custom_id") or ""))
                if c.get("type") == 2 and len(str(c.get("label") or "")) > 80:
                    ce["label"] = _err("BASE_TYPE_MAX_LENGTH", "Must be 80 or fewer in length.")
                if ce:
                    errors.setdefault("components", {}).setdefault(str(i), {}).setdefault("components", {})[str(j)] = ce
        if errors:
            return 400, _form_error(errors)
        if not edit and not (
            content
            or embeds
            or files
            or body.get("attachments")
            or components
            or body.get("sticker_ids")
            or body.get("poll")
        ):
            return 400, EMPTY_MESSAGE
        return None

    def _attachments_for(
        self, channel_id: str, body: Mapping[str, Any], files: list[RecordedFile], existing: list[dict[str, Any]]
    ) -> list[dict[str, Any]]:
        by_field = {f.field: f for f in files}
        out: list[dict[str, Any]] = []
        spec = body.get("attachments")
        if spec is None:  # no explicit list: all files, existing attachments kept
            spec = [{"id": i} for i in range(len(files))]
            out.extend(existing)
        old = {a["id"]: a for a in existing}
        for a in spec:
            aid = str(a.get("id"))
            f = by_field.get(f"files[{aid}]")
            if f is not None:
                new_id = P.snowflake()
                self._attachments[int(new_id)] = f.data
                filename = a.get("filename") or f.filename or "file"
                url = f"{self.base_url}/attachments/{channel_id}/{new_id}/{filename}"
                flags = int(body.get("flags") or 0)
                out.append(
                    P.attachment(
                        filename,
                        len(f.data),
                        id=new_id,
                        url=url,
                        content_type=None if f.content_type == "application/octet-stream" else f.content_type,
                        description=a.get("description"),
                        ephemeral=bool(flags & EPHEMERAL_FLAG),
                    )
                )
            elif aid in old:
                out.append(old[aid])
        return out

    def _mentions(self, content: str) -> list[dict[str, Any]]:
        ids = {int(x) for x in re.findall(r"<@!?(\d+)>", content or "")}
        return [self._public_user(self.users[i]) for i in sorted(ids) if i in self.users]

    def _create_message(
        self,
        channel_id: str,
        body: Mapping[str, Any],
        files: list[RecordedFile],
        *,
        interaction: FakeInteraction | None = None,
        extra_flags: int = 0,
        msg_type: int | None = None,
    ) -> dict[str, Any]:
        mid = P.snowflake()
        flags = (int(body.get("flags") or 0) & (EPHEMERAL_FLAG | 4 | 4096 | (1 << 15))) | extra_flags
        ref = body.get("message_reference")
        referenced = None
        if ref and ref.get("message_id"):
            referenced = self.messages.get(int(ref["message_id"]))
            ref = {
                "type": int(ref.get("type") or 0),
                "message_id": str(ref["message_id"]),
                "channel_id": str(ref.get("channel_id") or channel_id),
                **({"guild_id": str(ref["guild_id"])} if ref.get("guild_id") else {}),
            }
        meta = None
        app_id = None
        if interaction is not None:
            app_id = self._application_id
            ipayload = interaction.payload
            iuser = ipayload.get("user") or (ipayload.get("member") or {}).get("user")
            meta = {
                "id": str(interaction.id),
                "type": interaction.type,
                "user": iuser,
                "authorizing_integration_owners": ipayload.get("authorizing_integration_owners", {}),
            }
            if interaction.type in (P.APPLICATION_COMMAND, P.AUTOCOMPLETE):
                meta["name"] = (ipayload.get("data") or {}).get("name")
                meta["command_type"] = (ipayload.get("data") or {}).get("type", 1)
            if interaction.original_message_id is not None and interaction.original_message_id != int(mid):
                meta["original_response_message_id"] = str(interaction.original_message_id)
            if ipayload.get("message"):
                meta["interacted_message_id"] = str(ipayload["message"]["id"])
        if msg_type is None:
            msg_type = 19 if ref else 0
        content = str(body.get("content") or "")
        msg = P.message_object(
            content,
            id=mid,
            channel_id=channel_id,
            author=self._public_user(self._bot_user),
            embeds=[_embed_out(e) for e in body.get("embeds") or []],
            components=_number_components(body.get("components") or []),
            attachments=self._attachments_for(channel_id, body, files, []),
            mentions=self._mentions(content),
            flags=flags,
            type=msg_type,
            tts=bool(body.get("tts")),
            webhook_id=app_id,
            application_id=app_id,
            message_reference=ref or None,
            referenced_message=referenced,
            interaction_metadata=meta,
            nonce=body.get("nonce"),
        )
        if body.get("poll"):
            msg["poll"] = _poll_out(body["poll"])
        _show_attachments_in_embeds(msg, self._attachments)
        self.messages[int(mid)] = msg
        return msg

    def _edit_message(self, msg: dict[str, Any], body: Mapping[str, Any], files: list[RecordedFile]) -> dict[str, Any]:
        if "content" in body:
            msg["content"] = str(body["content"] or "")
            msg["mentions"] = self._mentions(msg["content"])
        if "embeds" in body:
            msg["embeds"] = [_embed_out(e) for e in body["embeds"] or []]
        if "components" in body:
            msg["components"] = _number_components(body["components"] or [])
        if "flags" in body and body["flags"] is not None:
            keep = int(msg.get("flags") or 0) & ~(4 | (1 << 15))
            msg["flags"] = keep | (int(body["flags"]) & (4 | (1 << 15)))
        if "attachments" in body or files:
            msg["attachments"] = self._attachments_for(msg["channel_id"], body, files, msg.get("attachments", []))
        if body.get("poll"):
            msg["poll"] = _poll_out(body["poll"])
        _show_attachments_in_embeds(msg, self._attachments)
        msg["edited_timestamp"] = P.iso()
        return msg

    def _channel_known(self, channel_id: str) -> bool:
        return channel_id.isdigit() and int(channel_id) in self.channels

    def _message_in(self, channel_id: str, message_id: str) -> dict[str, Any] | None:
        msg = self.messages.get(int(message_id)) if message_id.isdigit() else None
        if msg is None or msg["channel_id"] != channel_id:
            return None
        return msg

    def _background(self, coro: Awaitable[Any]) -> None:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _echo(self, msg: dict[str, Any]) -> None:
        if not self.echo_bot_messages:
            return
        data = copy.deepcopy(msg)
        chan = self.channels.get(int(msg["channel_id"]))
        if chan and chan.get("guild_id"):
            data["guild_id"] = chan["guild_id"]
            g = self.guilds.get(int(chan["guild_id"]))
            me = next((m for m in (g or {}).get("members", []) if m["user"]["id"] == self._bot_user["id"]), None)
            if me:
                data["member"] = {k: v for k, v in me.items() if k != "user"}
        with contextlib.suppress(TimeoutError):
            await self.dispatch("MESSAGE_CREATE", data, timeout=0.5)

    async def _h_send_message(self, rec: Record, channel_id: str) -> tuple[int, Any]:
        if self.strict_channels and not self._channel_known(channel_id):
            return 404, UNKNOWN_CHANNEL
        body = rec.json if isinstance(rec.json, dict) else {}
        error = self._validate_message(body, rec.files, edit=False)
        if error:
            return error
        ref = body.get("message_reference") or {}
        if (
            self.validate
            and ref.get("message_id")
            and int(ref["message_id"]) not in self.messages
            and ref.get("fail_if_not_exists", True)
        ):
            # replying to a message Discord doesn't have (deleted, or never dispatched to the fake)
            return 400, _form_error({"message_reference": _err("REPLIES_UNKNOWN_MESSAGE", "Unknown message")})
        msg = self._create_message(channel_id, body, rec.files)
        self._background(self._echo(msg))
        return 200, copy.deepcopy(msg)

    async def _h_history(self, rec: Record, channel_id: str) -> tuple[int, Any]:
        msgs = sorted(
            (m for m in self.messages.values() if m["channel_id"] == channel_id),
            key=lambda m: int(m["id"]),
            reverse=True,
        )
        if "before" in rec.query:
            msgs = [m for m in msgs if int(m["id"]) < int(rec.query["before"])]
        if "after" in rec.query:
            msgs = [m for m in msgs if int(m["id"]) > int(rec.query["after"])]
        limit = int(rec.query.get("limit", 50))
        return 200, copy.deepcopy(msgs[:limit])

    async def _h_get_message(self, rec: Record, channel_id: str, message_id: str) -> tuple[int, Any]:
        msg = self._message_in(channel_id, message_id)
        return (200, copy.deepcopy(msg)) if msg else (404, UNKNOWN_MESSAGE)

    async def _h_edit_message(self, rec: Record, channel_id: str, message_id: str) -> tuple[int, Any]:
        msg = self._message_in(channel_id, message_id)
        if msg is None:
            return 404, UNKNOWN_MESSAGE
        if msg["author"]["id"] != self._bot_user["id"] and set(rec.json or {}) - {"flags"}:
            return 403, {"message": "Cannot edit a message authored by another user", "code": 50005}
        body = rec.json if isinstance(rec.json, dict) else {}
        error = self._validate_message(body, rec.files, edit=True)
        if error:
            return error
        return 200, copy.deepcopy(self._edit_message(msg, body, rec.files))

    async def _h_delete_message(self, rec: Record, channel_id: str, message_id: str) -> tuple[int, Any]:
        if self._message_in(channel_id, message_id) is None:
            return 404, UNKNOWN_MESSAGE
        del self.messages[int(message_id)]
        return 204, None

    # ------------------------------------------------------------------ interactions

    async def _h_callback(self, rec: Record, interaction_id: str, token: str) -> tuple[int, Any]:
        it = self.interactions.get(int(interaction_id)) if interaction_id.isdigit() else None
        if it is None or it.token != token:
            return 404, UNKNOWN_INTERACTION
        if it.response_type is not None:
            return 400, ALREADY_ACKNOWLEDGED
        if self.interaction_ack_deadline is not None and time.monotonic() - it.created > self.interaction_ack_deadline:
            return 404, UNKNOWN_INTERACTION
        body = rec.json if isinstance(rec.json, dict) else {}
        rtype = body.get("type")
        data = body.get("data") or {}
        if rtype not in _ALLOWED_CALLBACKS.get(it.type, set()):
            return 400, {
                "message": "Interaction response type is invalid for this interaction",
                "code": 50035,
                "errors": {"type": _err("INTERACTION_RESPONSE_TYPE_INVALID", "Invalid response type")},
            }
        if rtype == 7 and not it.payload.get("message"):
            return 400, {"message": "Interaction has no message to update", "code": 50035, "errors": {}}
        if rtype in (4, 7) and self.validate:
            error = self._validate_message(data, rec.files, edit=rtype == 7)
            if error:
                status, err = error
                if "errors" in err:
                    err = dict(err, errors={"data": err["errors"]})
                return status, err
        if rtype == 8 and self.validate:
            choices = data.get("choices") or []
            if len(choices) > 25:
                return 400, _form_error(
                    {"data": {"choices": _err("BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")}}
                )
            for i, c in enumerate(choices):
                if not 1 <= len(str(c.get("name", ""))) <= 100:
                    return 400, _form_error(
                        {
                            "data": {
                                "choices": {
                                    str(i): {
                                        "name": _err("BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length.")
                                    }
                                }
                            }
                        }
                    )
        if rtype == 9 and self.validate:
            errs: dict[str, Any] = {}
            if not data.get("custom_id"):
                errs["custom_id"] = _err("BASE_TYPE_REQUIRED", "This field is required")
            if not 1 <= len(str(data.get("title") or "")) <= 45:
                errs["title"] = _err("BASE_TYPE_BAD_LENGTH", "Must be between 1 and 45 in length.")
            if not 1 <= len(data.get("components") or []) <= 5:
                errs["components"] = _err("BASE_TYPE_BAD_LENGTH", "Must be between 1 and 5 in length.")
            if errs:
                return 400, _form_error({"data": errs})

        it.response_type = rtype
        it.response = body
        message = None
        channel_id = str(it.channel_id)
        if rtype == 4:
            message = self._create_message(
                channel_id, data, rec.files, interaction=it, msg_type=20 if it.type == P.APPLICATION_COMMAND else 0
            )
            it.original_message_id = int(message["id"])
        elif rtype == 5:
            flags = LOADING_FLAG | (int(data.get("flags") or 0) & EPHEMERAL_FLAG)
            message = self._create_message(
                channel_id,
                {},
                [],
                interaction=it,
                extra_flags=flags,
                msg_type=20 if it.type == P.APPLICATION_COMMAND else 0,
            )
            it.original_message_id = int(message["id"])
            it.deferred_loading = True
        elif rtype in (6, 7):
            src = it.payload["message"]
            stored = self.messages.setdefault(int(src["id"]), copy.deepcopy(src))
            it.original_message_id = int(stored["id"])
            if rtype == 7:
                message = self._edit_message(stored, data, rec.files)
        if rtype == 4 and message is not None and not int(message["flags"]) & EPHEMERAL_FLAG:
            self._background(self._echo(message))

        if str(rec.query.get("with_response", "")).lower() not in ("1", "true"):
            return 204, None
        flags = int((message or {}).get("flags") or 0)
        resp: dict[str, Any] = {
            "interaction": {
                "id": str(it.id),
                "type": it.type,
                "response_message_loading": rtype == 5,
                "response_message_ephemeral": bool(flags & EPHEMERAL_FLAG),
            }
        }
        if it.original_message_id is not None and rtype in (4, 5, 6, 7):
            resp["interaction"]["response_message_id"] = str(it.original_message_id)
        if message is not None:
            resp["resource"] = {"type": rtype, "message": copy.deepcopy(message)}
        return 200, resp

    def _webhook_interaction(self, application_id: str, token: str) -> FakeInteraction | None:
        if not application_id.isdigit() or int(application_id) != self._application_id:
            return None
        it = self._interactions_by_token.get(token)
        if it is None or it.response_type is None:  # token only usable once acknowledged
            return None
        return it

    async def _h_followup(self, rec: Record, application_id: str, token: str) -> tuple[int, Any]:
        it = self._webhook_interaction(application_id, token)
        if it is None:
            return 404, UNKNOWN_WEBHOOK
        body = rec.json if isinstance(rec.json, dict) else {}
        error = self._validate_message(body, rec.files, edit=False)
        if error:
            return error
        if it.deferred_loading and it.original_message_id is not None:
            # Discord: the first followup after a "thinking" defer (type 5) replaces the
            # loading message - same id as @original.
            msg = self.messages[it.original_message_id]
            self._edit_message(msg, body, rec.files)
            msg["flags"] = int(msg.get("flags") or 0) & ~LOADING_FLAG
            msg["edited_timestamp"] = None
            it.deferred_loading = False
        else:
            msg = self._create_message(str(it.channel_id), body, rec.files, interaction=it)
            it.followup_ids.append(int(msg["id"]))
        if str(rec.query.get("wait", "")).lower() in ("1", "true"):
            return 200, copy.deepcopy(msg)
        return 204, None

    async def _h_webhook_message(
        self, rec: Record, application_id: str, token: str, message_id: str
    ) -> tuple[int, Any]:
        it = self._webhook_interaction(application_id, token)
        if it is None:
            return 404, UNKNOWN_WEBHOOK
        if message_id == "@original":
            mid = it.original_message_id
        else:
            mid = int(message_id) if message_id.isdigit() else None
            if mid not in it.followup_ids and mid != it.original_message_id:
                mid = None
        msg = self.messages.get(mid) if mid is not None else None
        if msg is None:
            return 404, UNKNOWN_MESSAGE
        if rec.method == "GET":
            return 200, copy.deepcopy(msg)
        if rec.method == "DELETE":
            del self.messages[int(msg["id"])]
            return 204, None
        body = rec.json if isinstance(rec.json, dict) else {}
        error = self._validate_message(body, rec.files, edit=True)
        if error:
            return error
        self._edit_message(msg, body, rec.files)
        if mid == it.original_message_id and it.deferred_loading:
            msg["flags"] = int(msg.get("flags") or 0) & ~LOADING_FLAG
            it.deferred_loading = False
        return 200, copy.deepcopy(msg)


# ---------------------------------------------------------------------- helpers


def _iid(value: int | str | Mapping[str, Any]) -> int:
    if isinstance(value, Mapping):
        return int(value["id"])
    return int(value)


def _sid(value: Any) -> str:
    if isinstance(value, Mapping):
        return str(value["id"])
    return str(getattr(value, "id", value))


def _embed_out(e: Mapping[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(dict(e))
    out.setdefault("type", "rich")
    out.setdefault("content_scan_version", 0)
    return out


def _show_attachments_in_embeds(msg: dict[str, Any], stored: Mapping[int, bytes]) -> None:
    """Like Discord, point an embed's ``attachment://NAME`` image or thumbnail at the message's attachment of that
    file name (its CDN url, and for a PNG its width and height).  A name the message has no file for is left as
    it is: Discord then shows no image."""
    by_name = {a["filename"]: a for a in msg.get("attachments") or []}
    for embed in msg.get("embeds") or []:
        for key in ("image", "thumbnail"):
            media = embed.get(key)
            url = str((media or {}).get("url") or "")
            found = by_name.get(url.removeprefix("attachment://")) if url.startswith("attachment://") else None
            if media is None or found is None:
                continue
            media.update(url=found["url"], proxy_url=found["proxy_url"], content_type=found.get("content_type"))
            data = stored.get(int(found["id"]), b"")
            if data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) >= 24:
                media["width"], media["height"] = struct.unpack(">II", data[16:24])


def _number_components(components: list[Any]) -> list[Any]:
    """Discord assigns a numeric ``id`` to every component that lacks one."""
    out = copy.deepcopy(components)
    used: set[int] = set()

    def walk(items: Iterable[Any], visit: Callable[[dict[str, Any]], None]) -> None:
        for c in items:
            if not isinstance(c, dict):
                continue
            visit(c)
            walk(c.get("components") or [], visit)
            for key in ("component", "accessory"):
                if isinstance(c.get(key), dict):
                    walk([c[key]], visit)

    walk(out, lambda c: used.add(c["id"]) if isinstance(c.get("id"), int) else None)
    counter = iter(i for i in range(1, 10_000) if i not in used)
    walk(out, lambda c: c.setdefault("id", next(counter)))
    return out


def _poll_out(poll: Mapping[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(dict(poll))
    for i, answer in enumerate(out.get("answers", []), start=1):
        answer.setdefault("answer_id", i)
    hours = int(out.pop("duration", 24) or 24)
    out.setdefault("expiry", P.iso(P.snowflake_time(P.snowflake(time.time() + hours * 3600))))
    out.setdefault("results", {"is_finalized": False, "answer_counts": []})
    return out


def _fix_option_types(given: list[dict[str, Any]], schema: list[dict[str, Any]]) -> None:
    """Align dispatched option types/values with the synced command schema."""
    by_name = {o.get("name"): o for o in schema}
    for opt in given:
        spec = by_name.get(opt.get("name"))
        if spec is None:
            continue
        stype = int(spec.get("type", opt.get("type", 3)))
        opt["type"] = stype
        if stype in (1, 2):
            _fix_option_types(opt.get("options", []), spec.get("options", []))
            continue
        if "value" not in opt or opt.get("focused"):
            continue
        value = opt["value"]
        with contextlib.suppress(TypeError, ValueError):
            if stype == 4 and not isinstance(value, bool):
                opt["value"] = int(value)
            elif stype == 10 and not isinstance(value, bool):
                opt["value"] = float(value)
            elif stype == 5 and isinstance(value, str):
                opt["value"] = value.lower() == "true"
            elif stype in (6, 7, 8, 9, 11):
                opt["value"] = _sid(value)
            elif stype == 3:
                opt["value"] = str(value)
