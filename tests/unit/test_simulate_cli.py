"""`mgames simulate`: the forecast as a table or JSON, its help, and one-line errors (exit 2)
for a bad file or bad arguments."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import pytest

from infra.cli import main, parser
from plugins.campaigns.files import read_campaign_file
from plugins.campaigns.model import parse_campaign
from plugins.forecast import Traffic, forecast

DEMO = str(Path(__file__).resolve().parents[2] / "examples" / "demo.yaml")
SMALL = ["--players", "30", "--days", "3", "--runs", "4"]


def simulate(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        code = main(["simulate", *args])
    except SystemExit as exited:
        code = int(exited.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def test_the_table_states_the_profile_and_every_figure(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = simulate(capsys, DEMO, *SMALL, "--plays", "2,lucky-wheel=3", "--seed", "5")
    assert code == 0, err
    assert out.startswith("Forecast of campaign demo (budget 8000.00): 4 runs, seed 5\n")
    assert "Traffic: 30 players for 3 days from 2026-01-01 (3 open); each day 30 % of them " \
           "active" in out
    assert "each active player per day and game: 2 plays (lucky-wheel 3), 0 orders of 199.00" in out
    assert "2 helpers per assist task, 3 grabs per red packet (Poisson means)" in out
    assert "Games modelled: assist, check-in, event-gifts, lucky-wheel, partner-coupon, " \
           "points-exchange, red-packet; not modelled: booking\n" in out
    for heading in ("Cost (yuan): mean  (5th - 95th percentile)", "  per day ", "  3 days total ",
                    "  day 1   2026-01-01  ", "Runs out", "budget (8000.00)", "never: config proves it",
                    "lucky-wheel (pool wheel): prize grand (3)", "Odds per play",
                    "Awards (prizes other than a fallback) per player: "):
        assert heading in out, heading
    assert err.strip() == "runs: 4/4"  # the progress bar's last line, on stderr


def test_json_is_the_forecast_itself(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = simulate(capsys, DEMO, *SMALL, "--json", "--active", "0.5", "--grabs", "1",
                            "--tiers", "gold=0.1", "--registrations", "0.2", "--share-opens", "0.5")
    assert code == 0
    answer = json.loads(out)
    profile = {"players": 30, "days": 3, "runs": 4, "active": 0.5, "grabs": 1, "tiers": {"gold": 0.1},
               "registrations": 0.2, "share_opens": 0.5}
    assert answer == forecast(parse_campaign(read_campaign_file(DEMO)), Traffic.parse(profile))
    assert answer["traffic"]["active"] == 0.5 and answer["traffic"]["helpers"] == 2


@pytest.mark.parametrize(("args", "message"), [
    (["nope.yaml", *SMALL], "nope.yaml: No such file or directory"),
    ([DEMO, "--players", "0", "--days", "3"], "--players: Input should be greater than or equal to 1"),
    ([DEMO, "--players", "x", "--days", "3"], "argument --players: invalid int value: 'x'"),
    ([DEMO, "--players", "3"], "the following arguments are required: --days"),
    ([DEMO, *SMALL, "--active", "2"], "--active: Input should be less than or equal to 1"),
    ([DEMO, *SMALL, "--plays", "many"], "--plays: 'many' is not a number of plays or GAME=PLAYS"),
    ([DEMO, *SMALL, "--plays", "pinball=2"], "plays name games the campaign does not run: ['pinball']"),
    ([DEMO, *SMALL, "--tiers", "0.1"], "--tiers: 0.1 names no tier: TIER=SHARE,..."),
    ([DEMO, *SMALL, "--registrations", "2"], "--registrations: Input should be less than or equal to 1"),
    ([DEMO, *SMALL, "--tiers", "gold=some"], "--tiers: 'gold=some' is not a share or TIER=SHARE"),
    ([DEMO, *SMALL, "--tiers", "gold=0.7,silver=0.7"], "--tiers: the tiers' shares add up to more than 1"),
    ([DEMO, *SMALL, "--start", "someday"], "argument --start: invalid date value: 'someday'"),
    ([DEMO, *SMALL, "--start", "2040-01-01"], "the campaign is not open on any day"),
    ([DEMO, *SMALL, "--order-amount", "lots"], "--order-amount: Input should be a valid decimal"),
    ([DEMO, "--players", "100000", "--days", "366", "--runs", "1000"], "more than 20,000,000"),
])
def test_bad_arguments_are_one_line_and_exit_2(capsys: pytest.CaptureFixture[str], args: list[str],
                                              message: str) -> None:
    code, out, err = simulate(capsys, *args)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("mgames simulate: error: "), err
    assert message in err and "Traceback" not in err


def test_a_bad_campaign_file_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str],
                                                   tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(Path(DEMO).read_text().replace("budget: 8000.00", "budget: -1"))
    code, _, err = simulate(capsys, str(bad), *SMALL)
    assert code == 2 and err.count("\n") == 1
    assert f"{bad} is not a valid campaign: budget: Input should be greater than or equal to 0" in err
    bad.write_text("games: [")
    code, _, err = simulate(capsys, str(bad), *SMALL)
    assert code == 2 and err.count("\n") == 1 and "not valid YAML" in err


def test_the_help_gives_an_example_for_the_command_and_every_argument() -> None:
    commands: Any = next(a for a in parser()._actions if isinstance(a, argparse._SubParsersAction))
    command = commands.choices["simulate"]
    assert "mgames simulate examples/demo.yaml --players 1000 --days 7" in command.format_help()
    for action in command._actions:
        if not isinstance(action, argparse._HelpAction):
            assert action.help and "e.g." in action.help, action.dest
