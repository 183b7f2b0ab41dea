"""The evaluation suite QA staff run over dialogue sets."""
