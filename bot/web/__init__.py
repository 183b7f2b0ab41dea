"""The web app: FastAPI REST API and login pages with the Gradio widget, copilot, QA console and records.

Build it with ``bot.web.app.create_app(settings)``; ``csbot serve`` and ``python app.py`` run it.
This package file imports nothing heavy, so ``csbot users`` starts without loading Gradio; it does
switch off Gradio's analytics and update checks before anything can import Gradio.
"""

from bot.settings import enforce_offline_environment

enforce_offline_environment()
