"""Every reader command through a real INTERACTION_CREATE: in a server, a bot DM, a group DM, and as a
user-installed app in a server the bot is not in.  Assertions are on what Discord received (the callback)."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import button, flat_components, is_ephemeral, labels
from tests.fake_discord import payloads

READER_COMMANDS = ("ask", "fact", "quote", "timeline", "search", "who", "explain", "source", "about", "help")
# What /about is titled: the story's title from data/about.json.
STORY_TITLE = "The North Korean soldier's dash across the DMZ"

# Where a command can be run from.  Each value: keyword arguments for payloads.slash_command/autocomplete.
FOREIGN_GUILD = payloads.guild_create(name="A server without the bot", channels=["chat"])
PLACES = {
    "guild": lambda guild: {"guild_id": guild},
    "bot-dm": lambda guild: {"context": 1},
    "group-dm": lambda guild: {"context": 2},
    # user install: used in a server the bot was never added to; only the user install authorizes it
    "user-install": lambda guild: {
        "guild_id": FOREIGN_GUILD,
        "authorizing_integration_owners": {"1": payloads.DEFAULT_USER["id"]},
    },
}


async def run(fake, name, options=None, **where):
    """Run a slash command; return (callback data, dispatched payload).  Always a type 4 answer."""
    sent = await fake.dispatch_interaction(payloads.slash_command(name, options, **where))
    record = await fake.wait_for_interaction_response(sent)
    assert record.ok, record
    assert record.json["type"] == 4, record.json
    return record.json["data"], sent


def embed_of(data):
    assert len(data["embeds"]) == 1, data
    return data["embeds"][0]


def public(data):
    assert not is_ephemeral(data), f"expected a public reply, got flags={data.get('flags')}"


async def titled_embed(fake, name, options, where, title, *, is_public=True):
    """Run a command whose answer is one embed of this title (and public, unless is_public=False: then the
    flags are not checked); return (callback data, the embed)."""
    data, _ = await run(fake, name, options, **where)
    if is_public:
        public(data)
    embed = embed_of(data)
    assert embed["title"] == title
    return data, embed


# --- one check per command; each runs in every place --------------------------------------------------------


async def check_ask_found(fake, bot, where):
    data, _ = await run(fake, "ask", {"question": "how many times was he shot"}, **where)
    public(data)
    embed = embed_of(data)
    assert "five times" in embed["description"]
    assert embed["title"] == "how many times was he shot"
    assert embed["footer"]["text"] == "Source: paragraph 2 of the article"
    see_also = [f for f in embed.get("fields", []) if f["name"] == "See also"]
    assert see_also and see_also[0]["value"].startswith("•")
    assert all(len(line) <= 140 and "(paragraph" in line for line in see_also[0]["value"].splitlines())
    assert button(data, "Show source")["custom_id"] == "sb:src:2"


async def check_ask_not_found(fake, bot, where):
    data, embed = await titled_embed(
        fake, "ask", {"question": "what is the capital of france"}, where, "I don't know", is_public=False
    )
    assert "don't know" in embed["description"]
    assert "footer" not in embed
    assert flat_components(data) == []


async def check_fact_random(fake, bot, where):
    data, _ = await run(fake, "fact", **where)
    public(data)
    embed = embed_of(data)
    assert "fields" not in embed or embed["fields"] == []  # no "Entry: fact `id`" for readers
    assert embed["footer"]["text"].startswith("Source: paragraph") and embed["footer"]["text"].endswith("article")
    assert button(data, "Show source")["custom_id"].startswith("sb:src:")


async def check_fact_topic(fake, bot, where):
    _, embed = await titled_embed(fake, "fact", {"topic": "injuries"}, where, "injuries", is_public=False)
    injuries = [e.text for e in await bot.app.store.entries("fact") if e.topic == "injuries"]
    assert embed["description"] in injuries


async def check_fact_id(fake, bot, where):
    data, _ = await run(fake, "fact", {"id": "shot-five-times"}, **where)
    public(data)
    embed = embed_of(data)
    assert "fields" not in embed or embed["fields"] == []
    assert embed["description"] == "The soldier was shot five times by his countrymen as he ran south Monday."
    assert embed["footer"]["text"] == "Source: paragraph 2 of the article"


async def check_fact_bad_id(fake, bot, where):
    data, _ = await run(fake, "fact", {"id": "no-such-fact"}, **where)
    assert is_ephemeral(data)
    embed = embed_of(data)
    assert "There is no entry with id `no-such-fact`" in embed["description"]
    assert flat_components(data) == []


async def check_quote_random(fake, bot, where):
    data, _ = await run(fake, "quote", **where)
    public(data)
    embed = embed_of(data)
    assert "fields" not in embed or embed["fields"] == []
    assert "“" in embed["description"] and embed["footer"]["text"].startswith("Source: paragraph")
    assert "Show source" in labels(data)


async def check_quote_speaker(fake, bot, where):
    data, _ = await run(fake, "quote", {"speaker": "Pence"}, **where)
    embed = embed_of(data)
    assert embed["title"] == "Vice President Pence"
    assert "strength and resolve" in embed["description"]


async def check_timeline(fake, bot, where):
    pages = (await bot.app.story.timeline(1)).page.total
    assert pages > 1
    data, embed = await titled_embed(fake, "timeline", None, where, "Timeline: Background")
    assert embed["footer"]["text"].startswith(f"Page 1/{pages} · Source: paragraphs ")
    assert [f["name"] for f in embed["fields"]] == ["1953", "1998", "2007", "March", "September", "last week"]
    assert "The escape itself starts on page 2." in embed["description"]
    assert "image" not in embed and data.get("attachments") in (None, [])  # no picture unless asked
    assert button(data, "Prev")["disabled"] is True
    assert button(data, "Next")["disabled"] is False
    assert button(data, "Show source")["disabled"] is False


async def check_search(fake, bot, where):
    data, embed = await titled_embed(fake, "search", {"query": "soldier"}, where, "Search: soldier")
    assert embed["description"].endswith("matches.")
    assert embed["footer"]["text"].startswith("Page 1/")
    assert 1 <= len(embed["fields"]) <= 5
    assert all("soldier" in (f["name"] + f["value"]).lower() for f in embed["fields"])
    assert button(data, "Prev")["disabled"] is True
    assert button(data, "Next")["disabled"] is False


async def check_who(fake, bot, where):
    data, embed = await titled_embed(fake, "who", {"name": "Lee Cook-jong"}, where, "Lee Cook-jong")
    assert "surgeon" in embed["description"]
    assert "fields" not in embed or embed["fields"] == []
    assert embed["footer"]["text"] == "Source: paragraphs 9 and 10 of the article"
    assert button(data, "Show source")["custom_id"] == "sb:src:9,10"


async def check_explain(fake, bot, where):
    data, embed = await titled_embed(fake, "explain", {"term": "DMZ"}, where, "DMZ", is_public=False)
    assert "demarcation line" in embed["description"]
    cited = (await bot.app.store.get("dmz")).paragraphs
    assert button(data, "Show source")["custom_id"] == "sb:src:" + ",".join(map(str, cited))


async def check_source(fake, bot, where):
    data, embed = await titled_embed(fake, "source", {"paragraph": 8}, where, "Paragraph 8")
    assert embed["description"] == (await bot.app.store.paragraph(8)).text
    assert flat_components(data) == []  # the text is already there: no Show source button


def synced_ids(fake):
    """The id the fake Discord gave each global command at sync."""
    return {c["name"]: c["id"] for c in fake.synced_commands(None)}


async def check_about(fake, bot, where):
    _, embed = await titled_embed(fake, "about", None, where, STORY_TITLE, is_public=False)
    counts = await bot.app.store.counts()
    assert "fields" not in embed or embed["fields"] == []  # compact: no column of single numbers
    description, tally, commands = embed["description"].split("\n\n")
    assert description.startswith("A North Korean soldier's dash") and len(description) < 200
    assert tally.startswith(f"**{counts.paragraphs} paragraphs · {counts.by_kind['fact']} facts · ")
    ids = synced_ids(fake)
    for name in ("ask", "timeline", "search", "source", "help"):
        assert f"</{name}:{ids[name]}>" in commands  # a mention Discord shows as a clickable command
    assert "`/" not in commands


async def check_help(fake, bot, where):
    _, embed = await titled_embed(fake, "help", None, where, "StoryBot commands", is_public=False)
    ids = synced_ids(fake)
    listed = [line.split(">")[0] + ">" for line in embed["description"].splitlines() if line.startswith("</")]
    reader = [f"</{name}:{ids[name]}>" for name in READER_COMMANDS]
    quiz = [f"</quiz {sub}:{ids['quiz']}>" for sub in ("start", "leaderboard")]
    assert listed == [*reader[:-1], *quiz, reader[-1]]  # /help last


CHECKS = [
    check_ask_found,
    check_ask_not_found,
    check_fact_random,
    check_fact_topic,
    check_fact_id,
    check_fact_bad_id,
    check_quote_random,
    check_quote_speaker,
    check_timeline,
    check_search,
    check_who,
    check_explain,
    check_source,
    check_about,
    check_help,
]


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.__name__.removeprefix("check_"))
async def test_reader_command_everywhere(fake, bot, guild, check):
    for place, where in PLACES.items():
        try:
            await check(fake, bot, where(guild))
        except AssertionError as exc:
            raise AssertionError(f"in {place}: {exc}") from exc
    assert not fake.unknown_requests


def test_every_reader_command_is_checked():
    checked = {c.__name__.removeprefix("check_").split("_")[0] for c in CHECKS}
    assert checked == set(READER_COMMANDS)


@pytest.mark.parametrize("place", list(PLACES))
async def test_interaction_payload_shape_per_place(fake, bot, guild, place):
    """The places really differ the way Discord sends them, and the answer lands in the right channel."""
    _, sent = await run(fake, "help", **PLACES[place](guild))
    if place in ("bot-dm", "group-dm"):
        assert "member" not in sent and "guild_id" not in sent and sent["user"]["id"] == payloads.DEFAULT_USER["id"]
        assert sent["context"] == (1 if place == "bot-dm" else 2)
        assert sent["channel"]["type"] == (1 if place == "bot-dm" else 3)
    else:
        assert sent["member"]["user"]["id"] == payloads.DEFAULT_USER["id"] and sent["context"] == 0
    if place == "user-install":
        assert sent["authorizing_integration_owners"] == {"1": payloads.DEFAULT_USER["id"]}
        assert int(sent["guild_id"]) not in fake.guilds and bot.get_guild(int(sent["guild_id"])) is None
    message = fake.original_message(sent)
    assert message["channel_id"] == sent["channel_id"]
    assert message["embeds"][0]["title"] == "StoryBot commands"
    assert message["interaction_metadata"]["user"]["id"] == payloads.DEFAULT_USER["id"]


# --- autocomplete ------------------------------------------------------------------------------------------------


async def complete(fake, command, option, current, **where):
    record = await fake.interact(payloads.autocomplete(command, {option: current}, focused=option, **where))
    assert record.ok, record
    assert record.json["type"] == 8
    choices = record.json["data"]["choices"]
    assert len(choices) <= 25
    for choice in choices:
        assert 1 <= len(choice["name"]) <= 100 and 1 <= len(choice["value"]) <= 100
    return [c["name"] for c in choices]


@pytest.mark.parametrize(
    ("command", "option", "current", "expected"),
    [
        ("who", "name", "le", "Lee Cook-jong"),
        ("who", "name", "tilerson", "Rex Tillerson"),
        ("explain", "term", "dmz", "DMZ"),
        ("explain", "term", "armstice", "armistice"),
        ("fact", "topic", "inj", "injuries"),
        ("fact", "topic", "rescu", "rescue"),
        ("quote", "speaker", "pence", "Vice President Pence"),
        ("quote", "speaker", "lee", "Lee Cook-jong"),
    ],
)
async def test_autocomplete_is_fuzzy(fake, bot, guild, command, option, current, expected):
    assert expected in await complete(fake, command, option, current, guild_id=guild)


@pytest.mark.parametrize(
    ("command", "option", "kind"),
    [("fact", "topic", "fact"), ("quote", "speaker", "quote"), ("who", "name", "person"), ("explain", "term", "term")],
)
async def test_autocomplete_empty_input_lists_titles(fake, bot, guild, command, option, kind):
    names = await complete(fake, command, option, "", guild_id=guild)
    assert names == (await bot.app.store.titles(kind))[:25]


async def test_autocomplete_in_dm_and_group_dm(fake, bot):
    assert "Lee Cook-jong" in await complete(fake, "who", "name", "le", context=1)
    assert "DMZ" in await complete(fake, "explain", "term", "dmz", context=2)


async def test_autocomplete_with_other_options_filled(fake, bot, guild):
    """/fact topic: while the id option already has text, only the focused option is completed."""
    record = await fake.interact(
        payloads.autocomplete("fact", {"id": "shot", "topic": "shoot"}, focused="topic", guild_id=guild)
    )
    assert record.json["type"] == 8
    assert "shooting" in [c["name"] for c in record.json["data"]["choices"]]
