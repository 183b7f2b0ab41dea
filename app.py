"""What a company runs: ``python app.py`` serves csbot on CSBOT_HOST:CSBOT_PORT (127.0.0.1:7860).

The same app as ``csbot serve``: the REST API, the customer widget (/widget/), the agent copilot
(/agent/), the QA console (/qa/) and the written records (/records/), on the embedded defaults.
"""

from __future__ import annotations

from bot.settings import load_settings


def main() -> None:
    import uvicorn

    from bot.web.app import create_app

    settings = load_settings()
    app = create_app(settings)
    app.state.ctx.bot.warm_up()
    uvicorn.run(app, host=settings.host, port=settings.port, access_log=False)


if __name__ == "__main__":
    main()
