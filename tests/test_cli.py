from typer.testing import CliRunner

from bot.cli import build_app


def test_every_command_has_help() -> None:
    app = build_app()
    runner = CliRunner()
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0, result.output
    import typer.main

    group = typer.main.get_command(app)
    assert group.commands, "no commands registered"  # type: ignore[attr-defined]
    for name in group.commands:  # type: ignore[attr-defined]
        sub = runner.invoke(app, [name, "--help"])
        assert sub.exit_code == 0, (name, sub.output)
        assert "Usage" in sub.output
