"""The program as a whole: every subcommand, run as a module."""

import subprocess
import sys

import typer
from typer.testing import CliRunner

from clusterexcellence.cli.main import app

runner = CliRunner()


def test_every_subcommand_has_help():
    group = typer.main.get_command(app)
    names = sorted(group.commands)
    assert {"score", "spec", "schema", "benchmark"} <= set(names)
    for name in names:
        cmd = group.commands[name]
        subs = sorted(getattr(cmd, "commands", {})) or [None]
        for sub in subs:
            args = [name, sub, "--help"] if sub else [name, "--help"]
            result = runner.invoke(app, args)
            assert result.exit_code == 0 and "Usage" in result.output, args
            assert (cmd.commands[sub] if sub else cmd).help, args


def test_program_runs_as_a_module():
    result = subprocess.run(
        [sys.executable, "-m", "clusterexcellence.cli", "--help"], capture_output=True, text=True
    )
    assert result.returncode == 0 and "score" in result.stdout
