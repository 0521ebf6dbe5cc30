"""The bodies of a mail, rendered from ``templates/email/<name>.txt`` and ``.html`` (Jinja, no Flask)."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from tracker import formatting, i18n
from tracker.resources import template_folder


@lru_cache(maxsize=4)
def _environment(folder: str) -> Environment:
    env = Environment(
        loader=FileSystemLoader(folder),
        autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(formatting.TEMPLATE_FILTERS)
    i18n.install_in_jinja(env)
    return env


def template_environment() -> Environment:
    return _environment(str(template_folder()))


def render_bodies(name: str, context: Mapping[str, Any]) -> tuple[str, str]:
    """The plain-text and HTML bodies of ``email/<name>.txt`` and ``email/<name>.html``."""
    env = template_environment()
    text = env.get_template(f"email/{name}.txt").render(context)
    html = env.get_template(f"email/{name}.html").render(context)
    return text, html
