"""The conversation: settings, the turn pipeline, procedures, drafting, records and the CLI."""
