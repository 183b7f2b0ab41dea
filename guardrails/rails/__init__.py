"""Input and output rails: deterministic checks around every message.

Input rails (``check_input``) flag prompt injection, requests for other people's data, abuse,
escalation triggers and off-topic requests in a customer's masked message. Output rails
(``run_output_rails``) check and repair a draft reply: citations, personal data, commitments,
forbidden phrasing, language, disclaimer, required elements. Rules are YAML under
``guardrails/config``; the logic is small functions registered with ``@rail("id")``.
"""

from __future__ import annotations

from guardrails.rails import classifier as _classifier  # noqa: F401  (registers the classifier check)
from guardrails.rails import commitments as _commitments  # noqa: F401  (registers the commitments rail)
from guardrails.rails import exfiltration as _exfiltration  # noqa: F401  (registers the exfiltration rail)
from guardrails.rails import output as _output  # noqa: F401  (registers the output rails)
from guardrails.rails.config import InputRule, RailConfigError, load_input_config
from guardrails.rails.input import check_input
from guardrails.rails.registry import rail
from guardrails.rails.runner import OutputContext, OutputResult, RequiredElement, canned_reply, run_output_rails

__all__ = [
    "InputRule",
    "OutputContext",
    "OutputResult",
    "RailConfigError",
    "RequiredElement",
    "canned_reply",
    "check_input",
    "load_input_config",
    "rail",
    "run_output_rails",
]
