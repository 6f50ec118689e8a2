"""The `mgames` commands that deploy to AWS, added to the main parser by `add_commands`."""

from __future__ import annotations

import argparse
import sys

from infra.arguments import examples


def cmd_template(args: argparse.Namespace) -> int:
    from infra.deploy.template import TEMPLATE_FILE, render_template, stale

    wanted = render_template()
    diff = stale(wanted, TEMPLATE_FILE)
    if args.check:
        if diff:
            print(f"{TEMPLATE_FILE.name} is not current: run `mgames template`", file=sys.stderr)
            print("\n".join(diff), file=sys.stderr)
            return 1
        print(f"{TEMPLATE_FILE.name} is current")
        return 0
    if diff:
        TEMPLATE_FILE.write_text(wanted, encoding="utf-8")
    print(f"{TEMPLATE_FILE.name} {'written' if diff else 'already current'}")
    return 0


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the deployment commands to `mgames`."""
    template = sub.add_parser("template", help="render template.yaml from infra/deploy.yaml",
                              epilog=examples("mgames template", "mgames template --check"))
    template.add_argument("--check", action="store_true",
                          help="write nothing; exit 1 and show the difference if not current")
    template.set_defaults(run=cmd_template)
