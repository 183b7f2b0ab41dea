"""Nothing in the product may reach the internet at run time.

These switches are set before any huggingface / chromadb import so that a missing local file fails
loudly instead of downloading. They live at the bottom layer because the embedder sets them itself
before it imports sentence-transformers; ``bot/settings.py`` and the entry points set them too.
"""

from __future__ import annotations

import os

OFFLINE_ENVIRONMENT = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "ANONYMIZED_TELEMETRY": "False",
    "GRADIO_ANALYTICS_ENABLED": "False",
    "TOKENIZERS_PARALLELISM": "false",
}


def enforce_offline_environment() -> None:
    """Set the offline switches unless the operator has set them explicitly."""
    for key, value in OFFLINE_ENVIRONMENT.items():
        os.environ.setdefault(key, value)
