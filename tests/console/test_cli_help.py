"""Every `mgames` command, the games' included, says what it does and shows an example that
parses; every argument says what it is."""

from __future__ import annotations

import argparse
import shlex
from collections.abc import Iterator
from typing import cast

import pytest

from infra.arguments import EXAMPLES
from infra.cli import main, parser

Command = tuple[str, argparse.ArgumentParser]


def commands(p: argparse.ArgumentParser, path: str = "mgames") -> Iterator[Command]:
    """(the command line that reaches it, its parser) for the root and every subcommand."""
    yield path, p
    for action in p._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from commands(sub, f"{path} {name}")


def examples(p: argparse.ArgumentParser) -> list[str]:
    lines = (p.epilog or "").splitlines()
    return [line.strip() for line in lines[1:]] if lines[:1] == [EXAMPLES] else []


def undocumented(root: argparse.ArgumentParser) -> list[str]:
    """What a reader of `--help` would miss: a command without help, an example or the
    formatter that keeps the example's lines, an argument without help, an example that
    does not start with its own command or does not parse."""
    missing = []
    for path, p in commands(root):
        formatter = cast(type, p.formatter_class)
        if not issubclass(formatter, argparse.RawDescriptionHelpFormatter):
            missing.append(f"{path}: formatter {formatter.__name__}")
        if not examples(p):
            missing.append(f"{path}: no example")
        for action in p._actions:
            if isinstance(action, argparse._SubParsersAction):
                helped = {choice.dest for choice in action._choices_actions if choice.help}
                missing += [f"{path} {name}: no help" for name in action.choices if name not in helped]
            elif not isinstance(action, argparse._HelpAction) and not action.help:
                missing.append(f"{path}: {action.dest} has no help")
        for example in examples(p):
            words = shlex.split(example)
            if ">" in words:
                words = words[:words.index(">")]
            if " ".join(words[:len(path.split())]) != path and path != "mgames":
                missing.append(f"{path}: the example {example!r} is another command's")
            try:
                root.parse_args(words[1:])
            except SystemExit as exc:
                if exc.code != 0:  # --help exits 0
                    missing.append(f"{path}: the example {example!r} does not parse")
    return missing


def test_every_command_has_help_and_an_example_and_every_argument_help(
        capsys: pytest.CaptureFixture[str]) -> None:
    root = parser()
    paths = [path for path, _ in commands(root)]
    # the walk reaches the games' own commands, added through the registry
    assert {"mgames partner upload", "mgames partner settlement", "mgames template"} <= set(paths)
    assert len(paths) >= 15
    assert undocumented(root) == []
    capsys.readouterr()  # the examples' --help output


def test_the_walk_finds_what_is_missing(capsys: pytest.CaptureFixture[str]) -> None:
    root = parser()
    sub = next(a for a in root._actions if isinstance(a, argparse._SubParsersAction))
    bare = sub.add_parser("bare")
    bare.add_argument("thing")
    other = sub.add_parser("other", help="x", formatter_class=argparse.HelpFormatter,
                           epilog="examples:\n  mgames report demo\n  mgames other --nope")
    other.add_argument("--flag", action="store_true", help="a flag")
    assert sorted(undocumented(root)) == [
        "mgames bare: no example", "mgames bare: no help", "mgames bare: thing has no help",
        "mgames other: formatter HelpFormatter",
        "mgames other: the example 'mgames other --nope' does not parse",
        "mgames other: the example 'mgames report demo' is another command's",
    ]


def test_help_keeps_its_lines_as_written_and_ends_with_the_examples(
        capsys: pytest.CaptureFixture[str]) -> None:
    from games.partner_coupon.cli import UPLOAD

    assert main(["partner", "upload", "--help"]) == 0
    text = capsys.readouterr().out
    assert set(UPLOAD.splitlines()) <= set(text.splitlines())  # not re-wrapped
    tail = text[text.index(EXAMPLES):].splitlines()
    assert tail[0] == EXAMPLES and len(tail) == 3
    assert all(line.startswith("  mgames partner upload demo cafe coffee-10 ") for line in tail[1:])
