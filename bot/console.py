"""The offline console: the same handlers as on Discord, typed at a terminal.

Lines are read in the main thread, outside the event loop (each line's work runs on an asyncio.Runner), so
a Ctrl-C at the prompt stops the console at once; `readline` gives line editing and a history file."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import TextIO

from bot.app import App, open_app
from bot.config import Settings
from bot.console_commands import ConsoleLine, parse_line
from bot.console_quiz import ConsoleQuiz
from bot.handlers import Reply, ReplyField, error
from bot.picture_file import PictureFileError, save_picture
from bot.textrender import render

BANNER = "StoryBot console: ask a question, or type help (quit or Ctrl-D to leave)."
PROMPT = "> "
HISTORY_LINES = 1000
EXIT_INTERRUPTED = 130  # the shell's convention for a program stopped by Ctrl-C
CONSOLE_HELP = ReplyField(
    "In the console",
    "Commands work with or without the slash: `who lee`, `source 8`, `timeline 2`. A line that reads as a "
    "question is asked: `who is the surgeon?`, `source of the bullets`. Turn pages with "
    "`search ak 47 page 2` (or `--page 2`). `timeline --image timeline.png` saves the timeline as a picture. "
    "`quiz` asks a multiple-choice question: type 1-4 to answer. "
    "Leave with `quit`, Ctrl-D or Ctrl-C; the arrow keys recall earlier lines.",
)


async def dispatch(app: App, line: str) -> Reply:
    """Run one console line: `/command args`, `command args` or a plain question."""
    return await run_line(app, parse_line(line))


async def run_line(app: App, line: ConsoleLine) -> Reply:
    story = app.story
    argument = line.argument
    if line.usage_error:
        return error(line.usage_error)
    if line.command == "source" and line.page is None:
        return error("Usage: source <paragraph number>, e.g. source 8")
    if line.command == "timeline" and line.image:
        return await _save_timeline_picture(app, Path(line.image).expanduser())
    commands: dict[str, Callable[[], Awaitable[Reply]]] = {
        "ask": lambda: story.ask(argument),
        "about": story.about,
        "quote": lambda: story.quote(argument or None),
        "who": lambda: story.who(argument),
        "explain": lambda: story.explain(argument),
        "timeline": lambda: story.timeline(line.page or 1),
        "search": lambda: story.search(argument, line.page or 1),
        "source": lambda: story.source(line.page or 0),
        # `fact 12`, `fact shot-five-times` (an id has a dash) or `fact injuries` (a topic)
        "fact": lambda: (
            story.fact(entry_id=argument)
            if "-" in argument and " " not in argument
            else story.fact(topic=argument or None)
        ),
    }
    if line.command == "quiz":  # played in the console's loop, which reads the answer
        return error("Type quiz at the console's prompt: it asks a question and reads your answer.")
    if line.command == "help":
        help_reply = story.help()
        return replace(help_reply, fields=(*help_reply.fields, CONSOLE_HELP))
    if line.command in commands:
        return await commands[line.command]()
    return error(f"Unknown command /{line.argument}. Type help for the list.")


async def _save_timeline_picture(app: App, path: Path) -> Reply:
    try:
        done = save_picture(await app.story.timeline_picture(), path)
    except PictureFileError as exc:
        return error(f"{exc}.")
    return Reply(title="Timeline picture", body=f"Saved {done}.")


def console_main(settings: Settings, stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout) -> int:
    """Open the store and run the console until quit, end of input (0) or Ctrl-C (130)."""
    with asyncio.Runner() as runner:
        with _no_ctrl_c_for_new_threads():
            app = runner.run(open_app(settings))
        try:
            return _read_eval_print(runner, app, stdin, stdout, settings.console_history)
        finally:
            runner.run(app.close())


@contextlib.contextmanager
def _no_ctrl_c_for_new_threads() -> Iterator[None]:
    """Start threads (aiosqlite runs one per connection) with SIGINT blocked.

    A Ctrl-C goes to one thread of the process: Linux offers it to the main thread first, other systems may
    pick any thread that does not block it.  One that lands on a worker thread never wakes the main thread,
    which sits in readline waiting for a key, so the console would not stop.  Threads inherit the signal
    mask of the thread that starts them: started this way, they leave SIGINT to the main thread."""
    if not hasattr(signal, "pthread_sigmask"):  # Windows: no per-thread masks, and no such problem
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)  # a Ctrl-C held back meanwhile arrives now


def _read_eval_print(runner: asyncio.Runner, app: App, stdin: TextIO, stdout: TextIO, history: Path | None) -> int:
    interactive = stdin.isatty()
    read, save_history = _line_reader(stdin, stdout, interactive, history)
    print(BANNER, file=stdout, flush=True)
    quiz = ConsoleQuiz(app)
    try:
        while True:
            try:
                line = read()
            except EOFError:
                if interactive:
                    print(file=stdout)  # Ctrl-D leaves the cursor after the prompt: end on a fresh line
                break
            if not line.strip():
                continue
            parsed = parse_line(line)
            if parsed.command == "quit":
                break
            if parsed.command == "quiz" and not parsed.usage_error:
                try:
                    quiz.play(runner, read, stdout)  # it reads the answer itself
                except EOFError:
                    break
            else:
                print(render(runner.run(run_line(app, parsed))), file=stdout, flush=True)
            if not interactive:
                print(file=stdout, flush=True)
    except KeyboardInterrupt:
        print("\nBye.", file=stdout, flush=True)
        return EXIT_INTERRUPTED
    finally:
        save_history()
    print("Bye.", file=stdout, flush=True)
    return 0


def _line_reader(
    stdin: TextIO, stdout: TextIO, interactive: bool, history: Path | None
) -> tuple[Callable[[], str], Callable[[], None]]:
    """A function that reads one line (EOFError at the end), and one that saves the history."""
    if interactive and stdin is sys.stdin and stdout is sys.stdout:
        save = _start_history(history)

        def read_edited() -> str:
            print(file=stdout)
            return input(PROMPT)  # with readline loaded: line editing and history

        return read_edited, save

    def read_plain() -> str:
        if interactive:
            print(f"\n{PROMPT}", end="", file=stdout, flush=True)
        line = stdin.readline()
        if not line:
            raise EOFError
        return line

    return read_plain, lambda: None


def _start_history(path: Path | None) -> Callable[[], None]:
    """Load `readline` (where the platform has it) and the history file; return what saves it on the way out."""
    try:
        import readline
    except ImportError:
        return lambda: None
    readline.set_history_length(HISTORY_LINES)
    if path is None:
        return lambda: None
    with contextlib.suppress(OSError):
        readline.read_history_file(path)

    def save() -> None:
        # A history that cannot be written is not worth an error on the way out.
        with contextlib.suppress(OSError):
            path.parent.mkdir(parents=True, exist_ok=True)
            readline.write_history_file(path)
            os.chmod(path, 0o600)  # questions are nobody else's business

    return save
