"""Command line: run | console | ask | quiz | timeline | inbox | teach | dismiss | export | import | backup | restore.

Discord is imported only by `run`."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from bot import __version__
from bot.config import Settings, SettingsError, load_settings

if TYPE_CHECKING:
    from bot.app import App

DESCRIPTION = "StoryBot: questions and answers about one news story, on Discord or offline."
EPILOG = "Settings come from the environment and .env files; see the README's Settings section."


def _prog() -> str:
    """`storybot` when run as the installed script, `python -m bot` when run as a module."""
    name = Path(sys.argv[0]).name if sys.argv and sys.argv[0] else ""
    return "python -m bot" if name in ("", "__main__.py", "-c") else name


def _command(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], name: str, summary: str
) -> argparse.ArgumentParser:
    """A subcommand whose one-line summary shows both in the command list and at the top of its --help."""
    return sub.add_parser(name, help=summary, description=summary)


MAX_QUIZ = 1000


def _count(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= MAX_QUIZ:
        raise argparse.ArgumentTypeError(f"must be a whole number from 1 to {MAX_QUIZ}, got {text[:20]!r}")
    return int(text)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=_prog(), description=DESCRIPTION, epilog=EPILOG)
    parser.add_argument("--version", action="version", version=f"storybot {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    _command(sub, "run", "Run on Discord when DISCORD_TOKEN is set, else the offline console (the default).")
    _command(sub, "console", "The offline console: ask questions and run the reader commands in the terminal.")
    ask = _command(sub, "ask", "Answer questions and exit.")
    ask.add_argument(
        "questions",
        nargs="+",
        metavar="QUESTION",
        help="a question in plain words (quote it); give several to ask several",
    )
    ask.add_argument(
        "--json",
        action="store_true",
        help="print one JSON object per question, one a line: question, found, answer, citation, entries",
    )
    ask.add_argument(
        "--record",
        action="store_true",
        help="put the questions it cannot answer in the inbox, as the console and Discord do (by default `ask` "
        "records nothing)",
    )
    quiz = _command(sub, "quiz", "Print quiz questions made from the store, each with its answer and source.")
    quiz.add_argument(
        "--count", type=_count, default=1, metavar="N", help=f"how many questions (1-{MAX_QUIZ}, default 1)"
    )
    quiz.add_argument("--seed", type=int, metavar="S", help="the same seed gives the same questions (default: random)")
    quiz.add_argument(
        "--json",
        action="store_true",
        help="print one JSON object per question, one a line: question, options, answer, kind, entry, paragraphs",
    )
    timeline = _command(sub, "timeline", "Print the story's timeline, or save it as a PNG picture.")
    shown = timeline.add_mutually_exclusive_group()
    shown.add_argument(
        "--page", type=int, metavar="N", help="print only page N (the pages of /timeline); by default every page"
    )
    shown.add_argument(
        "--image",
        type=Path,
        metavar="FILE",
        help="save the timeline as a PNG picture in FILE, a new file ('-' writes the PNG to standard output)",
    )
    inbox = _command(sub, "inbox", "List the inbox: questions the bot could not answer and answers reported wrong.")
    inbox.add_argument(
        "--json",
        action="store_true",
        help="print one JSON object per item, one a line: id, kind, questions, count, askers, entry, comments, "
        "last_seen",
    )
    teach = _command(
        sub, "teach", "Teach a question to the entry that answers it (closing the inbox items it answers)."
    )
    teach.add_argument("question", metavar="QUESTION", help="the question, in plain words (quote it)")
    teach.add_argument("entry", metavar="ENTRY_ID", help="the id of the entry that answers it (see `export`)")
    dismiss = _command(sub, "dismiss", "Drop an item from the inbox.")
    dismiss.add_argument("item", type=int, metavar="ITEM_ID", help="the item's number, from `inbox`")
    export = _command(sub, "export", "Write the whole store to a JSON file in the format of data/story.json.")
    export.add_argument("file", type=Path, metavar="FILE", help="a new file to write ('-' writes to standard output)")
    imp = _command(sub, "import", "Check a JSON file, show what it changes, then apply it in one transaction.")
    imp.add_argument("file", type=Path, metavar="FILE", help="a file in the format of data/story.json, e.g. an export")
    imp.add_argument("--replace", action="store_true", help="also remove (soft-delete) entries the file does not hold")
    imp.add_argument("--dry-run", action="store_true", help="only show what would change")
    backup = _command(sub, "backup", "Copy the database with SQLite's online backup (safe while the bot runs).")
    backup.add_argument("file", type=Path, metavar="FILE", help="a new file to write (an existing one is refused)")
    restore = _command(
        sub, "restore", "Replace the database with a backup, keeping the current one beside it (stop the bot first)."
    )
    restore.add_argument(
        "file", type=Path, metavar="FILE", help="a backup made by `backup`; it is checked before anything changes"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = load_settings()
    except SettingsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # e.g. DATABASE_PATH inside a folder this user may not enter
        print(
            f"error: cannot access {exc.filename or 'the settings'} ({exc.strerror or exc}); "
            "check DATABASE_PATH and the permissions of its folders",
            file=sys.stderr,
        )
        return 2
    command = args.command or "run"
    try:
        if command == "console" or (command == "run" and not settings.has_token):
            from bot.console import console_main

            if command == "run":
                print("No DISCORD_TOKEN set: starting the offline console.", file=sys.stderr)
            return console_main(settings)
        if command == "restore":
            from bot.cli_data import restore_file

            return asyncio.run(restore_file(settings.database_path, args.file))
        return asyncio.run(_run(command, args, settings))
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        from bot.app import failure_message  # the wiring knows the store's and the data files' errors

        message = failure_message(exc, settings.database_path)
        if message is None:
            raise
        print(f"error: {message}", file=sys.stderr)
        return 1


async def _run(command: str, args: argparse.Namespace, settings: Settings) -> int:
    if command == "run":
        from bot.discord_app.runner import run_discord  # imported late: discord.py is slow to load

        return await run_discord(settings)
    from bot.app import open_app

    app = await open_app(settings)
    try:
        if command == "ask":
            return await _ask(app, args.questions, args.json, args.record)
        if command == "quiz":
            return await _quiz(app, args.count, args.seed, args.json)
        if command == "timeline":
            return await _timeline(app, args.page) if args.image is None else await _timeline_image(app, args.image)
        if command in ("inbox", "teach", "dismiss"):
            from bot import cli_inbox

            if command == "inbox":
                return await cli_inbox.show_inbox(app, args.json)
            if command == "teach":
                return await cli_inbox.teach(app, args.question, args.entry)
            return await cli_inbox.dismiss(app, args.item)
        from bot import cli_data

        if command == "export":
            return await cli_data.export_file(app, args.file)
        if command == "import":
            return await cli_data.import_file(app, args.file, args.replace, args.dry_run)
        return await cli_data.backup_file(app, args.file)
    finally:
        await app.close()


async def _ask(app: App, questions: list[str], as_json: bool, record: bool = False) -> int:
    from bot.handlers.inbox import COMMAND_LINE
    from bot.handlers.replies import as_record
    from bot.textrender import render

    for question in questions:
        reply = await app.story.ask(question)
        if record and not reply.found and not reply.error:
            await app.inbox.record_unanswered(question, COMMAND_LINE)
        if as_json:
            print(json.dumps({"question": question, **as_record(reply)}, ensure_ascii=False), flush=True)
        else:
            print(render(reply), end="\n\n", flush=True)
    return 0


async def _quiz(app: App, count: int, seed: int | None, as_json: bool) -> int:
    from bot.handlers.quiz import NO_QUESTIONS
    from bot.textrender import render

    questions = await app.quiz.questions(count, seed)
    if not questions:
        print(f"error: {NO_QUESTIONS}", file=sys.stderr)
        return 1
    for question in questions:
        if as_json:
            print(json.dumps(question.to_json(), ensure_ascii=False), flush=True)
        else:
            print(render(await app.quiz.solved_reply(question, labels="1234")), end="\n\n", flush=True)
    return 0


async def _timeline(app: App, page: int | None) -> int:
    """Print one page of the timeline, or every page one after the other (without the console's page hints)."""
    from bot.textrender import render

    first = await app.story.timeline(page or 1)
    if first.error:
        print(f"error: {first.body}", file=sys.stderr)
        return 1
    total = first.page.total if first.page and page is None else 1
    replies = [first, *[await app.story.timeline(n) for n in range(2, total + 1)]]
    print("\n\n".join(render(replace(reply, page=None)) for reply in replies), flush=True)
    return 0


async def _timeline_image(app: App, target: Path) -> int:
    from bot.picture_file import PictureFileError, describe, save_picture

    to_stdout = str(target) == "-"
    if to_stdout and sys.stdout.isatty():
        print("error: a PNG is not for the terminal; redirect it (> timeline.png) or give a file name", file=sys.stderr)
        return 1
    picture = await app.story.timeline_picture()
    if to_stdout:
        sys.stdout.buffer.write(picture.data)
        sys.stdout.buffer.flush()
        # With the picture on standard output, the note goes to standard error.
        print(f"wrote the timeline picture to standard output ({describe(picture)})", file=sys.stderr)
        return 0
    try:
        print(f"wrote {save_picture(picture, target)}")
    except PictureFileError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
