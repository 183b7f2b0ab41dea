"""``csbot serve``: run the web app (REST API + Gradio UI) with uvicorn on 127.0.0.1."""

from __future__ import annotations

from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    @app.command()
    def serve(
        host: Annotated[str | None, typer.Option(help="Address to listen on (default: CSBOT_HOST, 127.0.0.1)")] = None,
        port: Annotated[int | None, typer.Option(help="Port (default: CSBOT_PORT, 7860)")] = None,
    ) -> None:
        """Start the web app: customer widget /widget, copilot /agent, QA /qa, records /records, API /docs."""
        import uvicorn

        from bot.settings import load_settings
        from bot.web.app import create_app

        settings = load_settings()
        host = host or settings.host
        port = port if port is not None else settings.port
        app = create_app(settings)
        app.state.ctx.bot.warm_up()  # before the port opens: the first customer does not wait for training
        typer.echo(f"csbot: http://{host}:{port}/  (widget /widget/, API docs /docs)", err=True)
        uvicorn.run(app, host=host, port=port, log_level="info", access_log=False)
