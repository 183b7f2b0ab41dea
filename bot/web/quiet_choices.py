"""Choice components whose refusal names no other choice.

Gradio's Radio and Dropdown refuse a value outside their choices with a message listing every
choice, and print it to stderr: for the agents' queue that is every open session id, for the records
console every case number. ``quiet()`` makes one say only that the choice is gone. (An instance is
wrapped rather than subclassed: Gradio writes a ``.pyi`` stub beside every component subclass.)
"""

from __future__ import annotations

from typing import Any, TypeVar

import gradio as gr
from gradio.exceptions import Error

GONE = "所选项已不在列表中，请刷新后重试 (the selection is no longer offered)"
C = TypeVar("C", gr.Radio, gr.Dropdown)


def quiet(component: C) -> C:
    check = component.preprocess

    def preprocess(payload: Any) -> Any:
        try:
            return check(payload)
        except Error:
            raise gr.Error(GONE, print_exception=False) from None

    component.preprocess = preprocess  # type: ignore[method-assign]
    return component


def QuietRadio(**kwargs: Any) -> gr.Radio:
    return quiet(gr.Radio(**kwargs))


def QuietDropdown(**kwargs: Any) -> gr.Dropdown:
    return quiet(gr.Dropdown(**kwargs))
