"""Choice components whose refusal names no other choice.

Gradio's Radio and Dropdown refuse a value outside their choices with a message listing every
choice, and print it to stderr: for the agents' queue that is every open session id, for the records
console every case number. These say only that the choice is gone.
"""

from __future__ import annotations

from typing import Any

import gradio as gr
from gradio.exceptions import Error

GONE = "所选项已不在列表中，请刷新后重试 (the selection is no longer offered)"


class QuietRadio(gr.Radio):
    def preprocess(self, payload: Any) -> Any:
        try:
            return super().preprocess(payload)
        except Error:
            raise gr.Error(GONE, print_exception=False) from None


class QuietDropdown(gr.Dropdown):
    def preprocess(self, payload: Any) -> Any:
        try:
            return super().preprocess(payload)
        except Error:
            raise gr.Error(GONE, print_exception=False) from None
