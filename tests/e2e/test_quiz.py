"""/quiz through the real discord.py client and the fake Discord: the question and its buttons, first press
counts, the reveal when time is up, stop, the leaderboard, restarts, DMs, and a moderator's edit reaching the
next question."""

from __future__ import annotations

import itertools
from dataclasses import replace

import pytest

from bot.app import open_app
from bot.models import OPERATOR, QuizAnswer
from tests.e2e.conftest import button, flat_components, is_ephemeral, running_bot
from tests.fake_discord import payloads

QUICK = 0.8  # seconds a question stays open here (QUIZ_SECONDS is 30 by default)
EDIT = "PATCH /webhooks/{application_id}/{token}/messages/{message_id}"
SUCCESS = 3
ALICE = payloads.user(1200000000000000404, "alice", global_name="Alice")
BOB = payloads.user(1200000000000000505, "bob", global_name="Bob")


@pytest.fixture
def bot_settings(settings):
    """The conftest's bot, with questions open for under a second."""
    return replace(settings, ask_cooldown_seconds=0.0, quiz_seconds=QUICK)


async def start(fake, **where):
    """/quiz start; return the interaction as sent and the question message (as Discord has it now)."""
    sent = await fake.dispatch_interaction(payloads.slash_command("quiz start", **where))
    record = await fake.wait_for_interaction_response(sent)
    assert record.ok, record
    if record.json["type"] == 5:  # deferred while the questions were made: the followup is the question
        followup = await fake.wait_for_followup(sent)
        assert followup.ok, followup
    message = fake.original_message(sent)
    assert message is not None and not is_ephemeral(message), message
    return sent, message


def round_of(bot, sent):
    found = bot.app.quiz.running(int(sent["channel_id"]))
    assert found is not None and found.id == int(sent["id"])
    return found


async def press(fake, message, option, user=None, **where):
    """Press answer button `option` (0-3) of the message as Discord has it now; return the callback record."""
    current = fake.message(message["id"])
    custom_id = flat_components(current)[option]["custom_id"]
    kwargs = {"user": user} if user else {}
    record = await fake.interact(payloads.component(custom_id, message=current, **kwargs, **where))
    assert record.ok, record
    return record


def private_text(record):
    data = record.json["data"]
    assert record.json["type"] == 4 and is_ephemeral(data), record.json
    return data["content"]


async def revealed(fake, sent):
    """The edit of the question message that shows the answer."""
    token = sent["token"]
    record = await fake.wait_for(lambda r: r.route == EDIT and r.params["token"] == token)
    assert record.ok, record
    return record.json


def wrong_option(found):
    return (found.question.answer + 1) % 4


# ---- the question ---------------------------------------------------------------------------------------------


async def test_the_question_has_four_answer_buttons(fake, bot, guild):
    sent, message = await start(fake, guild_id=guild)
    found = round_of(bot, sent)
    (embed,) = message["embeds"]
    assert embed["title"].startswith("Quiz: ")
    assert found.question.question in embed["description"]
    for letter, option in zip("ABCD", found.question.options, strict=True):
        assert f"**{letter}** · {option}" in embed["description"]
    assert "<t:" in embed["description"]  # when the answer comes, in the reader's own time
    buttons = flat_components(message)
    assert [b["custom_id"] for b in buttons] == [f"sb:quiz:{sent['id']}:{i}" for i in range(4)]
    assert all(b["label"].startswith(letter) for b, letter in zip(buttons, "ABCD", strict=True))
    assert not fake.unknown_requests


async def test_first_press_counts_and_a_second_changes_nothing(fake, bot, guild):
    sent, message = await start(fake, guild_id=guild)
    found = round_of(bot, sent)
    wrong, right = wrong_option(found), found.question.answer
    first = private_text(await press(fake, message, wrong, guild_id=guild))
    assert first.startswith("Your answer: **" + "ABCD"[wrong])
    second = private_text(await press(fake, message, right, guild_id=guild))
    assert "already answered **" + "ABCD"[wrong] in second and "only your first answer counts" in second
    assert fake.message(message["id"])["embeds"] == message["embeds"]  # the public question is untouched
    answer = await revealed(fake, sent)
    assert "Nobody got it (1 answer)." in answer["embeds"][0]["description"]
    (score,) = await bot.app.store.quiz_leaderboard(f"guild:{guild['id']}")
    assert (score.points, score.answered) == (0, 1)


async def test_time_up_shows_the_answer_who_got_it_and_the_paragraph(fake, bot, guild):
    sent, message = await start(fake, guild_id=guild)
    found = round_of(bot, sent)
    right = found.question.answer
    await press(fake, message, right, user=ALICE, guild_id=guild)
    await press(fake, message, wrong_option(found), user=BOB, guild_id=guild)
    answer = await revealed(fake, sent)
    (embed,) = answer["embeds"]
    assert embed["title"] == "Quiz: the answer"
    assert f"The answer: **{'ABCD'[right]}** · {found.question.options[right]}" in embed["description"]
    assert "Got it: Alice (1 of 2 answers)." in embed["description"]
    number = found.question.shown
    assert number in found.question.paragraphs
    paragraph = next(f for f in embed["fields"] if f["name"] == f"Paragraph {number} of the article")
    assert paragraph["value"].startswith((await bot.app.store.paragraph(number)).text[:60])
    footer = embed["footer"]["text"]
    assert footer.startswith("Source: paragraph") and str(number) in footer.split(" of the article")[0]
    buttons = flat_components(answer)
    assert [b.get("disabled") for b in buttons[:4]] == [True] * 4
    assert [b["style"] == SUCCESS for b in buttons[:4]] == [i == right for i in range(4)]
    source = button(answer, "Show source")
    shown = await fake.interact(payloads.component(source["custom_id"], message=fake.message(message["id"])))
    assert is_ephemeral(shown.json["data"])
    assert shown.json["data"]["embeds"][0]["description"] == (await bot.app.store.paragraph(number)).text


async def test_a_press_after_time_is_up_is_told_the_quiz_ended(fake, bot, guild):
    sent, message = await start(fake, guild_id=guild)
    await revealed(fake, sent)
    stale = payloads.component(f"sb:quiz:{sent['id']}:0", message=message, guild_id=guild)
    assert "has ended" in private_text(await fake.interact(stale))


async def test_a_press_after_a_restart_is_told_the_quiz_ended(fake, bot_settings, guild):
    app = await open_app(bot_settings)
    try:
        async with running_bot(app):
            _, message = await start(fake, guild_id=guild)
    finally:
        await app.close()
    app = await open_app(bot_settings)  # a new process: no memory of the round
    try:
        async with running_bot(app):
            record = await press(fake, message, 1, guild_id=guild)
            assert "This quiz has ended" in private_text(record)
    finally:
        await app.close()


# ---- one question at a time ----------------------------------------------------------------------------------


async def test_one_question_at_a_time_per_channel(fake, bot, guild):
    sent, _ = await start(fake, guild_id=guild)
    again = await fake.dispatch_interaction(payloads.slash_command("quiz start", guild_id=guild))
    assert "already open in this channel" in private_text(await fake.wait_for_interaction_response(again))
    other = guild["channels"][1]["id"]
    await start(fake, guild_id=guild, channel_id=other)  # another channel has its own
    await revealed(fake, sent)


async def test_no_question_twice_in_a_row(fake, bot, guild):
    asked = []
    for _ in range(6):
        sent, _ = await start(fake, guild_id=guild)
        asked.append(round_of(bot, sent).question.key)
        stop = await fake.dispatch_interaction(payloads.slash_command("quiz stop", guild_id=guild))
        await fake.wait_for_interaction_response(stop)
        await revealed(fake, sent)
    assert all(a != b for a, b in itertools.pairwise(asked))


# ---- stop -----------------------------------------------------------------------------------------------------


async def test_stop_by_the_starter_reveals_without_points(fake, bot, guild):
    sent, message = await start(fake, guild_id=guild)
    await press(fake, message, round_of(bot, sent).question.answer, user=ALICE, guild_id=guild)
    stop = await fake.dispatch_interaction(payloads.slash_command("quiz stop", guild_id=guild))
    assert private_text(await fake.wait_for_interaction_response(stop)).startswith("Stopped")
    answer = await revealed(fake, sent)
    assert answer["embeds"][0]["title"] == "Quiz: stopped"
    assert "Stopped by Tester; no points this time." in answer["embeds"][0]["description"]
    assert await bot.app.store.quiz_leaderboard(f"guild:{guild['id']}") == []


async def test_stop_by_someone_else_is_refused_but_a_moderator_may(fake, bot, guild):
    sent, _ = await start(fake, guild_id=guild)
    no = await fake.dispatch_interaction(
        payloads.slash_command("quiz stop", guild_id=guild, user=BOB, member_permissions="0")
    )
    assert "Only Tester, who started this question, or a moderator" in private_text(
        await fake.wait_for_interaction_response(no)
    )
    assert round_of(bot, sent)  # still open
    manage_messages = str(1 << 13)
    yes = await fake.dispatch_interaction(
        payloads.slash_command("quiz stop", guild_id=guild, user=BOB, member_permissions=manage_messages)
    )
    assert private_text(await fake.wait_for_interaction_response(yes)).startswith("Stopped")
    answer = await revealed(fake, sent)
    assert "Stopped by Bob" in answer["embeds"][0]["description"]


async def test_stop_with_nothing_open(fake, bot, guild):
    stop = await fake.dispatch_interaction(payloads.slash_command("quiz stop", guild_id=guild))
    assert private_text(await fake.wait_for_interaction_response(stop)) == "No quiz question is open in this channel."


# ---- the leaderboard -------------------------------------------------------------------------------------------


async def play(fake, bot, where, answers):
    """One round: each (user, right?) presses; wait for the reveal."""
    sent, message = await start(fake, **where)
    found = round_of(bot, sent)
    for user, right in answers:
        option = found.question.answer if right else wrong_option(found)
        await press(fake, message, option, user=user, **where)
    return await revealed(fake, sent)


async def leaderboard(fake, user=None, **where):
    kwargs = {"user": user} if user else {}
    sent = await fake.dispatch_interaction(payloads.slash_command("quiz leaderboard", **kwargs, **where))
    record = await fake.wait_for_interaction_response(sent)
    assert record.ok and record.json["type"] == 4 and not is_ephemeral(record.json["data"]), record
    return record.json["data"]["embeds"][0]


async def test_the_leaderboard_ranks_the_players_of_a_server(fake, bot, guild):
    where = {"guild_id": guild}
    await play(fake, bot, where, [(ALICE, True), (BOB, False)])
    await play(fake, bot, where, [(ALICE, True), (BOB, True)])
    board = await leaderboard(fake, user=BOB, **where)
    assert board["title"] == "Quiz leaderboard: this server"
    lines = board["description"].splitlines()
    assert lines[:2] == ["**1.** Alice · 2 points (2 answered)", "**2.** Bob · 1 point (2 answered)"]
    assert lines[-1] == "You: 2nd of 2 players, 1 point (2 answered)."
    mine = await leaderboard(fake, **where)  # Tester never answered
    assert mine["description"].endswith("You have not answered a question here yet: `/quiz start` asks one.")
    other = payloads.guild_create(name="Elsewhere", channels=["chat"])
    fake.add_guild(other)
    empty = await leaderboard(fake, user=ALICE, guild_id=other)
    assert "No scores in this server yet" in empty["description"]


async def test_the_top_ten(fake, bot, guild):
    board = f"guild:{guild['id']}"
    await bot.app.store.record_quiz_answers(board, [QuizAnswer(str(i), f"P{i:02}", i < 12) for i in range(15)])
    embed = await leaderboard(fake, guild_id=guild)
    ranked = [line for line in embed["description"].splitlines() if line.startswith("**")]
    assert len(ranked) == 10


# ---- DMs and user installs ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("where", "label"),
    [
        ({"context": 1}, "your DMs with the bot"),
        ({"context": 2, "channel_id": 1300000000000000777}, "this group"),
        (
            {
                "guild_id": payloads.guild_create(name="Not the bot's", channels=["chat"]),
                "authorizing_integration_owners": {"1": payloads.DEFAULT_USER["id"]},
            },
            "this server",
        ),
    ],
    ids=["bot-dm", "group-dm", "user-install"],
)
async def test_the_quiz_works_in_dms_and_as_a_user_installed_app(fake, bot, where, label):
    answer = await play(fake, bot, where, [(None, True)])
    assert "Got it: Tester (1 of 1 answer)." in answer["embeds"][0]["description"]
    board = await leaderboard(fake, **where)
    assert board["title"] == f"Quiz leaderboard: {label}"
    assert board["description"].startswith("**1.** Tester · 1 point (1 answered)")


# ---- the store's changes -------------------------------------------------------------------------------------


async def test_a_moderators_edit_reaches_the_next_question(fake, bot, guild):
    store = bot.app.store
    for entry in await store.entries():
        if entry.id != "shot-five-times":
            await store.set_deleted(entry.kind, entry.id, True, OPERATOR)
    sent, _ = await start(fake, guild_id=guild)
    assert "countrymen" in round_of(bot, sent).question.question
    await revealed(fake, sent)
    entry = await store.get("shot-five-times")
    await store.update(
        replace(entry, text="The soldier was shot five times as he ran south Monday."), OPERATOR, entry.version
    )
    sent, message = await start(fake, guild_id=guild)
    question = round_of(bot, sent).question
    assert "countrymen" not in question.question
    assert "countrymen" not in message["embeds"][0]["description"]
    await revealed(fake, sent)


async def test_an_empty_store_says_so(fake, bot, guild):
    for entry in await bot.app.store.entries():
        await bot.app.store.set_deleted(entry.kind, entry.id, True, OPERATOR)
    sent = await fake.dispatch_interaction(payloads.slash_command("quiz start", guild_id=guild))
    record = await fake.wait_for_interaction_response(sent)
    if record.json["type"] == 5:
        followup = await fake.wait_for_followup(sent)
        text = followup.json["embeds"][0]["description"]
    else:
        text = record.json["data"]["embeds"][0]["description"]
    assert "no question to ask right now" in text
    assert bot.app.quiz.running(int(sent["channel_id"])) is None


async def test_nobody_is_pinged(fake, bot, guild):
    pinger = payloads.user(1200000000000000606, "pinger", global_name="@everyone <@&1>")
    answer = await play(fake, bot, {"guild_id": guild}, [(pinger, True)])
    assert "\\@everyone" in answer["embeds"][0]["description"]
    edits = [r for r in fake.requests if r.route == EDIT]
    assert edits and all(r.json.get("allowed_mentions") == {"parse": []} for r in edits)


async def test_the_quiz_command_is_synced_for_every_place(fake, bot):
    (quiz,) = [c for c in fake.synced_commands() if c["name"] == "quiz"]
    assert sorted(quiz["integration_types"]) == [0, 1] and sorted(quiz["contexts"]) == [0, 1, 2]
    assert quiz.get("default_member_permissions") is None
    assert [(o["name"], o["type"]) for o in quiz["options"]] == [("start", 1), ("leaderboard", 1), ("stop", 1)]


async def test_help_names_the_quiz_as_clickable_subcommands(fake, bot, guild):
    (quiz,) = [c for c in fake.synced_commands() if c["name"] == "quiz"]
    record = await fake.interact(payloads.slash_command("help", guild_id=guild))
    text = record.json["data"]["embeds"][0]["description"]
    assert f"</quiz start:{quiz['id']}> — A multiple-choice question about the story" in text
    assert f"</quiz leaderboard:{quiz['id']}> — The quiz's top ten here, and your rank." in text
