"""The console's rule for a line: written as a command, it is a command; read as a sentence, it is a question.

Each line is run through the console and compared with what the command or `ask` gives for it, so a test
fails when a line goes the wrong way, whatever the answer engine answers."""

from __future__ import annotations

import itertools

import pytest

from bot.console import dispatch
from bot.console_commands import ConsoleLine, parse_line
from bot.textrender import render
from tests.cli_helpers import cli_env, run_cli

QUESTIONS = [
    # a question word, an auxiliary, a pronoun, a preposition or a conjunction right after the command word
    "who is kim jong un",
    "who was the surgeon",
    "who's lee",
    "who shot him",
    "who drove the jeep",
    "who carried the soldier to safety",
    "help me understand why he ran",
    "help with the shooting",
    "explain why he ran",
    "explain how the soldier escaped",
    "explain what happened at the border",
    "explain it to me",
    "source of the bullets",
    "source for the quote",
    "search for why he ran",
    "timeline of events",
    "timeline for the escape",
    "about the soldier",
    "about how many times he was shot",
    "quote me on that",
    "quote from him",
    "fact or fiction",
    "fact is he ran",
    "who didn't run",
    "explain if he survived",
    # a question mark
    "who lee?",
    "explain the dmz?",
    "search jeep?",
    # arguments that do not fit the command
    "source bullets",
    "source eight",
    "timeline two",
    "timeline please",
    "about lee",
    # no command word at all
    "how many times was he shot",
    "Who is Lee Cook-jong?",
    "tell me about the surgeon",
    "what is the DMZ",
    "q is for question",
]

COMMANDS = [
    "who lee",
    "Who Lee",
    "who roh jae-cheon",
    "who col. roh",
    "explain dmz",
    "explain the dmz",
    "explain joint chiefs of staff",
    "explain armistice",
    "source 8",
    "source ¶8",
    "timeline 2",
    "timeline page 2",
    "timeline --page 2",
    "search jeep",
    "search ak 47",
    "search ak 47 page 1",
    "search for jeep",
    "quote lee",
    "quote from lee",
    "fact shot-five-times",
    "help",
    "about",
    "help.",
    "about?",
    "timeline",
    "search",
    "who",
]


@pytest.mark.parametrize("line", QUESTIONS)
async def test_a_line_that_reads_as_a_question_is_asked(app, line):
    assert await dispatch(app, line) == await app.story.ask(line)


@pytest.mark.parametrize("line", COMMANDS)
async def test_a_line_written_as_a_command_is_that_command(app, line):
    as_typed = await dispatch(app, line)
    with_slash = await dispatch(app, "/" + line.rstrip(".?"))
    assert as_typed == with_slash
    assert as_typed != await app.story.ask(line)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("search ak 47", ConsoleLine("search", "ak 47")),
        ("/search ak 47", ConsoleLine("search", "ak 47")),
        ("search ak 47 page 2", ConsoleLine("search", "ak 47", page=2)),
        ("search ak 47 --page 2", ConsoleLine("search", "ak 47", page=2)),
        ("search ak 47 --page=2", ConsoleLine("search", "ak 47", page=2)),
        ("search jeep 2", ConsoleLine("search", "jeep 2")),
        ("search page 2", ConsoleLine("search", "page 2")),
        ("search for jeep", ConsoleLine("search", "jeep")),
        ("timeline 2", ConsoleLine("timeline", page=2)),
        ("timeline page 3", ConsoleLine("timeline", page=3)),
        ("timeline --image out.png", ConsoleLine("timeline", image="out.png")),
        ("/timeline image my timeline.png", ConsoleLine("timeline", image="my timeline.png")),
        ("timeline --image=“out.png”", ConsoleLine("timeline", image="out.png")),
        ("source 8", ConsoleLine("source", page=8)),
        ("source paragraph 8", ConsoleLine("source", page=8)),
        ("source 99999999999999999999", ConsoleLine("source", page=10**9)),
        ("quote from lee", ConsoleLine("quote", "lee")),
        ("fact about injuries", ConsoleLine("fact", "injuries")),
        ("ask who is lee?", ConsoleLine("ask", "who is lee?")),
        ("/who is kim jong un", ConsoleLine("who", "is kim jong un")),
    ],
)
def test_arguments_and_pages(line, expected):
    assert parse_line(line) == expected


@pytest.mark.parametrize("line", ["quit", "QUIT", "/quit", "exit", "/exit", "bye", "q", ":q", "  quit  "])
def test_quit_with_or_without_the_slash(line):
    assert parse_line(line).command == "quit"


@pytest.mark.parametrize("line", ["quit the army", "exit the dmz", "/quit now"])
def test_quit_words_in_a_sentence_do_not_quit(line):
    assert parse_line(line).command != "quit"


@pytest.mark.parametrize(
    ("line", "usage"),
    [
        ("/source of the bullets", "Usage: source <paragraph number>"),
        ("/timeline of events", "Usage: timeline [page]"),
        ("/timeline --image", "Usage: timeline [page], e.g. timeline 2; timeline --image FILE"),
        ("/about the soldier", "Usage: about"),
        ("source", "Usage: source <paragraph number>"),
    ],
)
async def test_a_slash_command_whose_arguments_do_not_fit_gets_its_usage(app, line, usage):
    reply = await dispatch(app, line)
    assert reply.error
    assert reply.body.startswith(usage)


async def test_unknown_slash_command(app):
    reply = await dispatch(app, "/bogus stuff")
    assert reply.error and "Unknown command /bogus" in reply.body


async def test_search_pages_are_explicit(app):
    first, second = await dispatch(app, "search jeep"), await dispatch(app, "search jeep page 2")
    assert first.page is not None and first.page.total >= 2
    assert second.page is not None and second.page.number == 2
    assert {e.id for e in first.entries}.isdisjoint(e.id for e in second.entries)
    assert "next: search jeep page 2" in render(first)
    assert await dispatch(app, "search jeep --page 2") == second


def test_console_output_has_no_raw_markdown(tmp_path):
    lines = ["help", "who lee", "fact shot-five-times", "fact no-such-id", "search", "about", "quit"]
    result = run_cli(cli_env(tmp_path / "m.db", tmp_path), "console", stdin="\n".join(lines) + "\n")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "lee-cook-jong" not in out  # readers never see entry ids
    assert "20 paragraphs · " in out  # /about's counts, without the ** of Discord's bold
    assert "/ask <question> — Ask anything" in out
    assert "There is no entry with id no-such-id." in out
    assert "`" not in out and "**" not in out


def titles(output: str) -> list[str]:
    """The title of each reply the console printed: a line underlined by dashes of its length."""
    pairs = itertools.pairwise(output.splitlines())
    return [above for above, below in pairs if below == "-" * min(len(above), 80) and above]


def test_the_issue_lines_in_a_console_session(tmp_path):
    """The lines from the bug report, typed into the console as a user would, among real commands."""
    questions = ["who is kim jong un", "help me understand why he ran", "explain why he ran", "source of the bullets"]
    commands = {"who lee": "Lee Cook-jong", "search ak 47": "Search: ak 47", "source 8": "Paragraph 8", "/quit": None}
    session = [*questions, *commands]
    result = run_cli(cli_env(tmp_path / "s.db", tmp_path), "console", stdin="\n".join(session) + "\n")
    assert result.returncode == 0, result.stderr
    shown = titles(result.stdout)
    assert len(shown) == len(questions) + 3
    for question, title in zip(questions, shown, strict=False):
        assert title in (question, "I don't know"), (question, title)  # what `ask` titles its reply
    assert shown[len(questions) :] == ["Lee Cook-jong", "Search: ak 47", "Paragraph 8"]
    assert result.stdout.rstrip().endswith("Bye.")
