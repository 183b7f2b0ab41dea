"""One look for all Gradio apps: system CJK fonts (nothing fetched from the internet) and the CSS."""

from __future__ import annotations

from pathlib import Path

import gradio as gr

CJK_FONTS = ("PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", "Noto Sans CJK SC", "sans-serif")
MONO_FONTS = ("Noto Sans Mono CJK SC", "WenQuanYi Micro Hei Mono", "monospace")

THEME = gr.themes.Soft(primary_hue="teal", font=list(CJK_FONTS), font_mono=list(MONO_FONTS))
CSS = (Path(__file__).parent / "static" / "gradio.css").read_text(encoding="utf-8")
