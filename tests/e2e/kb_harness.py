"""The /kb harness shared by the test_kb_* files: a guild with a moderator role, a client that knows its
moderators, and helpers for reading what Discord received.

A test module imports the fixtures ``kb_guild`` (registered as ``guild``) and ``kb_client`` (registered as
``kb``) into its namespace, each name marked ``# noqa: F401`` since only pytest looks them up.  That
``guild`` overrides the plain guild of tests/e2e/conftest.py for that module only, and the conftest ``fake``
fixture then serves it.  A module that needs more roles defines its own ``guild`` with `moderator_guild`.
(The functions have other names than their fixtures so that a test's ``kb`` argument does not shadow an import.)
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from typing import Any

import pytest

from bot.app import App, open_app
from bot.config import Settings
from bot.models import Actor
from tests.e2e.conftest import EPHEMERAL, running_bot
from tests.fake_discord import FakeDiscord, Record, payloads

MOD_ROLE = 1500000000000000777


def moderator_guild(*roles: dict[str, Any]) -> dict[str, Any]:
    """The test guild, with the moderator role and any other roles given."""
    return payloads.guild_create(
        name="Story Guild", channels=["general", "news"], roles=[payloads.role(MOD_ROLE, "StoryBot moderators"), *roles]
    )


@pytest.fixture(name="guild")
def kb_guild() -> dict[str, Any]:
    return moderator_guild()


@dataclass
class KB:
    fake: FakeDiscord
    guild: dict[str, Any]
    app: App
    moderator: dict[str, Any]
    client: Any = None  # the running StoryBot client, for what only the Discord front end keeps

    async def slash(
        self,
        name: str,
        options: dict[str, Any] | None = None,
        *,
        user: dict[str, Any] | None = None,
        roles: tuple[int, ...] = (),
        **extra: Any,
    ) -> Record:
        extra.setdefault("guild_id", self.guild)
        return await self.shown(
            payloads.slash_command(name, options or {}, user=user or self.moderator, member_roles=roles, **extra)
        )

    async def shown(self, payload: dict[str, Any]) -> Record:
        """Dispatch an interaction; its callback, or after a "thinking…" defer (type 5) the followup that
        replaces it (what the user sees either way)."""
        sent = await self.fake.dispatch_interaction(payload)
        first = await self.fake.wait_for_interaction_response(sent)
        if first.ok and first.json["type"] == 5:
            return await self.fake.wait_for_followup(sent)
        return first

    async def press(
        self,
        custom_id: str,
        message: dict[str, Any] | None,
        *,
        user: dict[str, Any] | None = None,
        roles: tuple[int, ...] = (),
        **extra: Any,
    ) -> Record:
        extra.setdefault("guild_id", self.guild)
        return await self.fake.interact(
            payloads.component(custom_id, message=message, user=user or self.moderator, member_roles=roles, **extra)
        )

    async def submit(
        self,
        custom_id: str,
        values: dict[str, str],
        *,
        user: dict[str, Any] | None = None,
        roles: tuple[int, ...] = (),
        **extra: Any,
    ) -> Record:
        extra.setdefault("guild_id", self.guild)
        fields = {f"f:{name}": value for name, value in values.items()}
        return await self.shown(
            payloads.modal_submit(custom_id, fields, user=user or self.moderator, member_roles=roles, **extra)
        )

    async def edit_of(self, press: Record) -> Record:
        """The PATCH of @original that follows a button's first response (the import's or removal's result)."""
        token = self.fake.interaction(press.params["interaction_id"]).token
        return await self.fake.wait_for(
            lambda r: r.method == "PATCH" and r.path.endswith("/messages/@original") and r.params.get("token") == token
        )

    async def upload(
        self,
        data: bytes,
        *,
        user: dict[str, Any] | None = None,
        roles: tuple[int, ...] = (),
        filename: str = "import.json",
        mode: str | None = None,
        attachment: dict[str, Any] | None = None,
        **extra: Any,
    ) -> tuple[Record, Record | None]:
        """/kb import with a file: the callback, and the followup when the command deferred."""
        attachment = attachment or self.fake.attachment(filename, data, content_type="application/json")
        options: dict[str, Any] = {"file": attachment["id"]}
        if mode:
            options["mode"] = mode
        extra.setdefault("guild_id", self.guild)
        sent = await self.fake.dispatch_interaction(
            payloads.slash_command(
                "kb import",
                options,
                user=user or self.moderator,
                member_roles=roles,
                resolved={"attachments": {attachment["id"]: attachment}},
                **extra,
            )
        )
        first = await self.fake.wait_for_interaction_response(sent)
        followup = await self.fake.wait_for_followup(sent) if first.json["type"] == 5 else None
        return first, followup

    async def ask(self, question: str) -> str:
        record = await self.slash("ask", {"question": question}, user=payloads.user(name="reader"))
        return record.json["data"]["embeds"][0]["description"]

    def message_of(self, record: Record) -> dict[str, Any]:
        message = self.fake.original_message(record.params["interaction_id"])
        assert message is not None
        return message


def kb_settings(settings: Settings, guild: dict[str, Any], moderator: dict[str, Any]) -> Settings:
    return replace(
        settings,
        ask_cooldown_seconds=0.0,
        moderator_guild_ids=(int(guild["id"]),),
        moderator_user_ids=frozenset({int(moderator["id"])}),
        moderator_role_ids=frozenset({MOD_ROLE}),
    )


@pytest.fixture(name="kb")
async def kb_client(fake: FakeDiscord, settings: Settings, guild: dict[str, Any]) -> AsyncIterator[KB]:
    moderator = payloads.user(name="moddy")
    app = await open_app(kb_settings(settings, guild, moderator))
    try:
        async with running_bot(app) as client:
            yield KB(fake, guild, app, moderator, client)
    finally:
        await app.close()


def kb_actor(kb: KB) -> Actor:
    """The fixture's moderator, as the store records who made a change."""
    return Actor(kb.moderator["id"], kb.moderator["username"])


# ---- reading what Discord received ---------------------------------------------------------------------------


def embed(record: Record) -> dict[str, Any]:
    """The first embed of a callback (type 4 or 7) or of a followup."""
    data = record.json.get("data", record.json)
    assert data.get("embeds"), record.json
    return data["embeds"][0]


def private(record: Record) -> dict[str, Any]:
    """A message shown only to the user (a type-4 callback, or the followup after a defer); its data."""
    assert record.ok, record
    if record.route == "POST /webhooks/{application_id}/{token}":
        data = record.json
    else:
        assert record.json["type"] == 4, record.json
        data = record.json["data"]
    assert data["flags"] & EPHEMERAL, record.json
    return data


def buttons(message: dict[str, Any]) -> dict[str, str]:
    """Label -> custom_id of every button of a message (or callback ``data``)."""
    return {c["label"]: c["custom_id"] for row in message.get("components") or [] for c in row["components"]}


def form_id(record: Record) -> str:
    """A type-9 (modal) callback: its custom_id."""
    assert record.ok and record.json["type"] == 9, record.json
    return record.json["data"]["custom_id"]


def form(record: Record) -> tuple[str, dict[str, str | None]]:
    """A type-9 (modal) callback: its custom_id and each input's default value."""
    custom_id = form_id(record)
    inputs = [c for row in record.json["data"]["components"] for c in row["components"]]
    return custom_id, {c["custom_id"]: c.get("value") for c in inputs}
