"""The web app: FastAPI REST API and login pages with the Gradio widget, copilot, QA console and records.

Build it with ``bot.web.app.create_app(settings)``; ``csbot serve`` and ``python app.py`` run it.
This package file imports nothing heavy, so ``csbot users`` starts without loading Gradio.
"""
