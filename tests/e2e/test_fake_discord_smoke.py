"""Smoke tests: the real discord.py client talks end-to-end to the fake Discord."""

from __future__ import annotations

import asyncio
import io

import discord
import pytest
from discord import app_commands
from discord.ext import commands

from tests.e2e.conftest import connected
from tests.fake_discord import FakeDiscord, payloads

pytestmark = [
    pytest.mark.filterwarnings("error::ResourceWarning"),
    pytest.mark.filterwarnings("error::pytest.PytestUnraisableExceptionWarning"),
]

TOKEN = "good-token"
TOPICS = ["apples", "apricots", "bananas"]


class PingView(discord.ui.View):
    def __init__(self) -> None:
        super().__init__(timeout=None)

    @discord.ui.button(label="Again", custom_id="ping:again", style=discord.ButtonStyle.primary)
    async def again(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        await interaction.response.edit_message(content="pong again", view=None)


class FeedbackModal(discord.ui.Modal, title="Feedback"):
    text = discord.ui.TextInput(label="Your feedback", custom_id="feedback:text")

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(f"thanks: {self.text.value}", ephemeral=True)


class FastIdentify:
    # discord.py sleeps 5s before every non-initial IDENTIFY (i.e. every shard after
    # the first) - skip that in tests.
    async def before_identify_hook(self, shard_id, *, initial=False):
        return None


def _setup(bot):
    @bot.tree.command(name="ping", description="Ping the bot")
    @app_commands.describe(topic="What to ping about")
    async def ping(interaction: discord.Interaction, topic: str = "nothing", times: int = 1) -> None:
        embed = discord.Embed(title="Pong!", description=f"topic={topic} times={times}")
        await interaction.response.send_message(embed=embed, view=PingView())

    @ping.autocomplete("topic")
    async def topic_autocomplete(interaction: discord.Interaction, current: str):
        return [app_commands.Choice(name=t, value=t) for t in TOPICS if t.startswith(current)]

    @bot.tree.command(name="slow", description="Defers, then follows up")
    async def slow(interaction: discord.Interaction) -> None:
        await interaction.response.defer(thinking=True)
        await interaction.followup.send("done slowly", file=discord.File(io.BytesIO(b"hello file"), "hello.txt"))
        await interaction.followup.send("second followup")
        original = await interaction.original_response()
        await interaction.edit_original_response(content=f"{original.content} (edited)")

    @bot.tree.command(name="report", description="Answers with a file")
    async def report(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("report", file=discord.File(io.BytesIO(b"a,b\n1,2\n"), "r.csv"))

    @bot.tree.command(name="feedback", description="Opens a modal")
    async def feedback(interaction: discord.Interaction) -> None:
        await interaction.response.send_modal(FeedbackModal())

    @bot.event
    async def on_message(message: discord.Message) -> None:
        if message.author.bot:
            return
        if message.guild is None:
            if message.attachments:
                data = await message.attachments[0].read()
                await message.channel.send(f"got {len(data)} bytes", file=discord.File(io.BytesIO(data), "echo.bin"))
            else:
                await message.channel.send(f"you said: {message.content}")

    return bot


class SmokeBot(FastIdentify, commands.Bot):
    pass


class ShardedSmokeBot(FastIdentify, commands.AutoShardedBot):
    pass


def make_bot(cls=SmokeBot, **kwargs):
    intents = discord.Intents.default()  # no privileged intents
    # guild_ready_timeout: discord.py waits this long after the last GUILD_CREATE before
    # on_ready (default 2s)
    return _setup(cls(command_prefix="!", intents=intents, help_command=None, guild_ready_timeout=0.05, **kwargs))


def running(bot, token=TOKEN):
    return connected(bot, token, wait=5)


async def test_slash_command_autocomplete_and_button(guild):
    async with FakeDiscord(guilds=[guild]) as fake:
        bot = make_bot()
        async with running(bot):
            assert bot.user.id == fake.application_id
            assert bot.application_id == fake.application_id
            assert [g.id for g in bot.guilds] == [int(guild["id"])]
            g = bot.get_guild(int(guild["id"]))
            assert g.me is not None and g.get_channel(int(guild["channels"][0]["id"])).name == "general"

            synced = await bot.tree.sync()
            assert {c.name for c in synced} == {"ping", "slow", "feedback", "report"}
            stored = fake.synced_commands()
            assert {c["name"] for c in stored} == {"ping", "slow", "feedback", "report"}
            ping_cmd = next(c for c in stored if c["name"] == "ping")
            assert [o["name"] for o in ping_cmd["options"]] == ["topic", "times"]
            assert ping_cmd["options"][0]["autocomplete"] is True

            # slash command -> type 4 with an embed and a button
            sent = await fake.dispatch_interaction(
                payloads.slash_command("ping", {"topic": "apples", "times": "3"}, guild_id=guild)
            )
            assert sent["data"]["id"] == ping_cmd["id"]  # filled from the sync
            assert sent["data"]["options"][1] == {"name": "times", "type": 4, "value": 3}
            rec = await fake.wait_for_interaction_response(sent["id"])
            assert rec.query == {"with_response": "1"}
            assert rec.json["type"] == 4
            assert rec.json["data"]["embeds"][0]["title"] == "Pong!"
            assert rec.json["data"]["embeds"][0]["description"] == "topic=apples times=3"
            button = rec.json["data"]["components"][0]["components"][0]
            assert button["custom_id"] == "ping:again"
            assert rec.response["resource"]["message"]["embeds"][0]["title"] == "Pong!"

            # autocomplete -> type 8 with choices
            rec = await fake.interact(payloads.autocomplete("ping", {"topic": "ap"}, focused="topic", guild_id=guild))
            assert rec.json == {
                "type": 8,
                "data": {"choices": [{"name": "apples", "value": "apples"}, {"name": "apricots", "value": "apricots"}]},
            }

            # press the button on the message the bot sent -> type 7 update
            message = fake.original_message(sent)
            assert message["components"][0]["components"][0]["custom_id"] == "ping:again"
            rec = await fake.interact(payloads.component("ping:again", message=message, guild_id=guild))
            assert rec.json["type"] == 7
            assert rec.json["data"]["content"] == "pong again"
            assert rec.json["data"]["components"] == []
            assert fake.message(message["id"])["content"] == "pong again"

            # the same interaction cannot be answered twice / unknown routes are visible
            assert not fake.unknown_requests


async def test_defer_then_followups_with_file(guild):
    async with FakeDiscord(guilds=[guild]) as fake:
        bot = make_bot()
        async with running(bot):
            await bot.tree.sync()
            sent = await fake.dispatch_interaction(payloads.slash_command("slow", guild_id=guild))
            rec = await fake.wait_for_interaction_response(sent["id"])
            assert rec.json == {"type": 5}
            assert rec.response["interaction"]["response_message_loading"] is True

            first = await fake.wait_for_followup(sent)
            assert first.query["wait"] == "1"
            assert first.json["content"] == "done slowly"
            assert [(f.filename, f.data) for f in first.files] == [("hello.txt", b"hello file")]
            # the first followup after a thinking-defer replaces the loading message
            assert first.response["id"] == rec.response["interaction"]["response_message_id"]
            assert first.response["attachments"][0]["filename"] == "hello.txt"

            second = await fake.wait_for_followup(sent)
            assert second.json["content"] == "second followup"
            assert second.response["id"] != first.response["id"]

            edit = await fake.wait_for(lambda r: r.method == "PATCH" and r.path.endswith("/messages/@original"))
            assert edit.json["content"] == "done slowly (edited)"
            assert fake.original_message(sent)["content"] == "done slowly (edited)"

            # initial response with a file -> multipart callback
            rec = await fake.interact(payloads.slash_command("report", guild_id=guild))
            assert rec.json["type"] == 4 and rec.json["data"]["content"] == "report"
            assert [(f.field, f.filename, f.data) for f in rec.files] == [("files[0]", "r.csv", b"a,b\n1,2\n")]
            assert rec.response["resource"]["message"]["attachments"][0]["size"] == 8


async def test_modal_submit_both_layouts(guild):
    async with FakeDiscord(guilds=[guild]) as fake:
        bot = make_bot()
        async with running(bot):
            await bot.tree.sync()
            for layout in ("label", "action_row"):
                rec = await fake.interact(payloads.slash_command("feedback", guild_id=guild))
                assert rec.json["type"] == 9
                modal = rec.json["data"]
                assert modal["title"] == "Feedback"
                rec = await fake.interact(
                    payloads.modal_submit(
                        modal["custom_id"], {"feedback:text": f"great ({layout})"}, layout=layout, guild_id=guild
                    )
                )
                assert rec.json["type"] == 4
                assert rec.json["data"]["content"] == f"thanks: great ({layout})"
                assert rec.json["data"]["flags"] == 64  # ephemeral
                assert rec.response["interaction"]["response_message_ephemeral"] is True


async def test_dm_message_gets_reply():
    async with FakeDiscord() as fake:
        bot = make_bot()
        async with running(bot):
            user = payloads.user(name="reader")
            msg = payloads.message_create("hello bot", author=user)
            await fake.dispatch("MESSAGE_CREATE", msg)
            rec = await fake.wait_for_message(msg["channel_id"])
            assert rec.json["content"] == "you said: hello bot"
            assert rec.response["author"]["id"] == str(fake.application_id)

            # user.send() opens a DM through POST /users/@me/channels
            dm_user = await bot.fetch_user(int(user["id"]))
            await dm_user.send("direct")
            rec = await fake.wait_for(lambda r: r.route == "POST /users/@me/channels")
            assert rec.json == {"recipient_id": int(user["id"])}
            rec = await fake.wait_for_message(msg["channel_id"])
            assert rec.json["content"] == "direct"

            # an attachment the bot downloads from the fake CDN and sends back (multipart)
            att = fake.attachment("data.bin", b"\x00\x01\x02")
            await fake.dispatch(
                "MESSAGE_CREATE",
                payloads.message_create("", author=user, channel_id=msg["channel_id"], attachments=[att]),
            )
            rec = await fake.wait_for_message(msg["channel_id"])
            assert rec.json["content"] == "got 3 bytes"
            assert rec.files[0].data == b"\x00\x01\x02"

            # slash command and button in a bot DM (context 1): no guild, "user" instead of "member"
            await bot.tree.sync()
            sent = await fake.dispatch_interaction(payloads.slash_command("ping", user=user))
            assert sent["context"] == 1 and "member" not in sent
            rec = await fake.wait_for_interaction_response(sent)
            assert rec.json["type"] == 4
            rec = await fake.interact(payloads.component("ping:again", message=fake.original_message(sent), user=user))
            assert rec.json["type"] == 7


async def test_guild_commands_sync(guild):
    async with FakeDiscord(guilds=[guild]) as fake:
        bot = make_bot()
        async with running(bot):
            target = discord.Object(int(guild["id"]))
            bot.tree.copy_global_to(guild=target)
            bot.tree.clear_commands(guild=None)
            await bot.tree.sync()  # global: now empty
            synced = await bot.tree.sync(guild=target)
            assert fake.synced_commands() == []
            assert {c.guild_id for c in synced} == {target.id}
            stored = {c["name"]: c for c in fake.synced_commands(target.id)}
            sent = await fake.dispatch_interaction(payloads.slash_command("ping", guild_id=guild))
            assert sent["data"]["guild_id"] == guild["id"]
            assert sent["data"]["id"] == stored["ping"]["id"]
            rec = await fake.wait_for_interaction_response(sent)
            assert rec.json["type"] == 4

            # a guild the bot is not in -> 403 Missing Access, like Discord
            with pytest.raises(discord.Forbidden):
                await bot.tree.sync(guild=discord.Object(1))


async def test_late_interaction_response_is_rejected(guild):
    async with FakeDiscord(guilds=[guild], interaction_ack_deadline=0.0) as fake:
        bot = make_bot()
        errors = []

        async def on_error(interaction, error):
            errors.append(error)

        bot.tree.on_error = on_error
        async with running(bot):
            await bot.tree.sync()
            rec = await fake.interact(payloads.slash_command("ping", guild_id=guild))
            assert (rec.status, rec.response) == (404, {"message": "Unknown interaction", "code": 10062})
            for _ in range(50):
                if errors:
                    break
                await asyncio.sleep(0.01)
            assert isinstance(errors[0].original, discord.NotFound)


async def test_bad_token_login_fails():
    async with FakeDiscord() as fake:
        bot = make_bot()
        try:
            with pytest.raises(discord.LoginFailure):
                await bot.login(fake.bad_token)
        finally:
            await bot.close()
        rec = fake.requests[-1]
        assert (rec.path, rec.status, rec.response) == ("/users/@me", 401, {"message": "401: Unauthorized", "code": 0})


@pytest.mark.parametrize("bot_shard_count", [2, None], ids=["explicit", "from-gateway-bot"])
async def test_autosharded_bot_two_shards(bot_shard_count):
    guilds = [
        payloads.guild_create(payloads.guild_id_for_shard(0, 2), "Shard zero"),
        payloads.guild_create(payloads.guild_id_for_shard(1, 2), "Shard one"),
    ]
    async with FakeDiscord(guilds=guilds, shard_count=2) as fake:
        bot = make_bot(ShardedSmokeBot, shard_count=bot_shard_count)
        async with running(bot):
            await fake.wait_until_ready()
            assert bot.shard_count == 2
            assert sorted(bot.shards) == [0, 1]
            assert sorted(i["shard"] for i in fake.identifies) == [[0, 2], [1, 2]]
            by_name = {g.name: g.shard_id for g in bot.guilds}
            assert by_name == {"Shard zero": 0, "Shard one": 1}
            if bot_shard_count is None:
                assert any(r.path == "/gateway/bot" for r in fake.requests)

            await bot.tree.sync()
            rec = await fake.interact(payloads.slash_command("ping", guild_id=guilds[1]))
            assert rec.json["type"] == 4
            sends = [r for r in fake.gateway_log if r.direction == "send" and r.t == "INTERACTION_CREATE"]
            assert [r.shard_id for r in sends] == [1]


async def test_resume_after_server_disconnect(guild):
    async with FakeDiscord(guilds=[guild]) as fake:
        bot = make_bot()
        async with running(bot):
            resumed = asyncio.Event()

            async def on_resumed():
                resumed.set()

            bot.add_listener(on_resumed)
            await fake.disconnect(code=4000)
            await asyncio.wait_for(resumed.wait(), 5)
            assert any(r.op == 6 for r in fake.gateway_log if r.direction == "recv")
            await bot.tree.sync()
            rec = await fake.interact(payloads.slash_command("ping", guild_id=guild))
            assert rec.json["type"] == 4


async def test_zlib_stream_and_unknown_routes(guild):
    async with FakeDiscord(guilds=[guild], zlib_stream=True) as fake:
        bot = make_bot()
        async with running(bot):
            assert fake.connections[0].query["compress"] == "zlib-stream"
            assert fake.connections[0].compressor is not None  # frames really were compressed
            with pytest.raises(discord.NotFound):
                await bot.http.request(discord.http.Route("GET", "/not/a/real/route"))
            (unknown,) = fake.unknown_requests
            assert (unknown.method, unknown.path, unknown.status) == ("GET", "/not/a/real/route", 404)


async def test_discord_limits_are_enforced(guild):
    async with FakeDiscord(guilds=[guild]) as fake:
        bot = make_bot()
        async with running(bot):
            channel = bot.get_channel(int(guild["channels"][0]["id"]))
            with pytest.raises(discord.HTTPException) as info:
                await channel.send("x" * 2001)
            assert info.value.status == 400 and info.value.code == 50035
            fake.inject_error("POST", r"/channels/\d+/messages", 403, {"message": "Missing Permissions", "code": 50013})
            with pytest.raises(discord.Forbidden):
                await channel.send("hi")
            msg = await channel.send("hi again")
            assert fake.message(msg.id)["content"] == "hi again"


async def test_files_and_embed_images_follow_discords_rules(guild):
    """Discord shows an embed's attachment://NAME image from the file of that name; it refuses more than 10 files,
    more than 10 MiB of uploads (413, code 40005), and image URLs of other schemes."""
    async with FakeDiscord(guilds=[guild]) as fake:
        bot = make_bot()
        async with running(bot):
            channel = bot.get_channel(int(guild["channels"][0]["id"]))
            png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + (640).to_bytes(4, "big") + (480).to_bytes(4, "big") + b"\x08"
            shown = discord.Embed(title="pic").set_image(url="attachment://pic.png")
            msg = await channel.send(embed=shown, file=discord.File(io.BytesIO(png), "pic.png"))
            stored = fake.message(msg.id)
            (attachment,) = stored["attachments"]
            image = stored["embeds"][0]["image"]
            assert image["url"] == attachment["url"] and (image["width"], image["height"]) == (640, 480)
            assert msg.embeds[0].image.url == attachment["url"]  # what discord.py reads back

            missing = discord.Embed(title="pic").set_image(url="attachment://other.png")
            msg = await channel.send(embed=missing, file=discord.File(io.BytesIO(png), "pic.png"))
            assert fake.message(msg.id)["embeds"][0]["image"]["url"] == "attachment://other.png"  # shows nothing

            # an edit that replaces the file points the image at the new one
            edited = await msg.edit(
                embed=discord.Embed(title="pic").set_image(url="attachment://new.png"),
                attachments=[discord.File(io.BytesIO(png), "new.png")],
            )
            (new,) = fake.message(edited.id)["attachments"]
            assert new["filename"] == "new.png" and fake.message(edited.id)["embeds"][0]["image"]["url"] == new["url"]

            with pytest.raises(discord.HTTPException) as info:
                await channel.send(files=[discord.File(io.BytesIO(b"x"), f"{n}.txt") for n in range(11)])
            assert info.value.status == 400 and info.value.code == 50035
            with pytest.raises(discord.HTTPException) as info:
                await channel.send(file=discord.File(io.BytesIO(b"x" * (10 * 1024 * 1024 + 1)), "big.bin"))
            assert info.value.status == 413 and info.value.code == 40005
            with pytest.raises(discord.HTTPException) as info:
                await channel.send(embed=discord.Embed(title="x").set_image(url="ftp://example.com/a.png"))
            assert info.value.status == 400 and "image.url" in str(info.value)


async def test_component_rows_and_duplicate_custom_ids_are_refused(guild):
    """Discord refuses two components with one custom id, and a row of more than five."""
    async with FakeDiscord(guilds=[guild]) as fake:
        bot = make_bot()
        async with running(bot):
            route = discord.http.Route("POST", "/channels/{channel_id}/messages", channel_id=guild["channels"][0]["id"])

            def row(*ids):
                return {"type": 1, "components": [{"type": 2, "style": 2, "label": i, "custom_id": i} for i in ids]}

            with pytest.raises(discord.HTTPException) as info:
                await bot.http.request(route, json={"content": "x", "components": [row("a", "b"), row("a")]})
            assert info.value.code == 50035
            assert "COMPONENT_CUSTOM_ID_DUPLICATED" in str(fake.requests[-1].response)
            with pytest.raises(discord.HTTPException):
                await bot.http.request(route, json={"content": "x", "components": [row(*"abcdef")]})
            assert "Must be between 1 and 5" in str(fake.requests[-1].response)
            await bot.http.request(route, json={"content": "x", "components": [row(*"abcde"), row("f")]})
