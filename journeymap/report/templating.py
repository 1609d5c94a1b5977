"""Jinja2 for reports: bundled templates a team can override, autoescaped HTML, locale filters.

Journey text is untrusted (anyone can write a title with ``<script>``): HTML templates are
autoescaped, and Markdown output escapes what Markdown or GitHub would read as markup.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import jinja2
from markupsafe import Markup

from journeymap.errors import JourneymapError
from journeymap.locales.messages import Catalog, rounded
from journeymap.report.elapsed import elapsed, signed_elapsed
from journeymap.report.spans import draw_share, exact_number, number_span, percent_span
from journeymap.resources import templates_dir

_MARKDOWN = re.compile(r"([\\`*_{}\[\]<>|#!~])")


class TemplateError(JourneymapError):
    """A template that does not parse, or asks for data the report does not have."""


def fill(
    name: str,
    texts: Catalog,
    template_dir: str | os.PathLike[str] | None = None,
    **context: Any,
) -> str:
    """Template ``name`` filled with ``context``; ``TemplateError`` saying where it broke."""
    try:
        return environment(texts, template_dir).get_template(name).render(**context)
    except jinja2.TemplateSyntaxError as error:
        where = f"{error.filename or error.name}:{error.lineno}"
        raise TemplateError(f"{where}: {error.message} (in a report template)") from error
    except jinja2.TemplateError as error:
        raise TemplateError(f"{name}: {error} (in a report template)") from error


def environment(
    texts: Catalog, template_dir: str | os.PathLike[str] | None = None
) -> jinja2.Environment:
    """Templates from ``template_dir`` first, then the bundled ones, with the locale's filters."""
    folders = [os.fspath(template_dir)] if template_dir else []
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([*folders, os.fspath(templates_dir())]),
        autoescape=_is_html,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals.update(t=texts.text, label=texts.label, locale=texts.code)
    env.filters.update(_filters(texts))
    return env


def _is_html(name: str | None) -> bool:
    return name is not None and ".html" in name


def _filters(texts: Catalog) -> dict[str, Callable[..., Any]]:
    def num(value: float | None, digits: int = 0) -> str:
        return "–" if value is None else texts.number(value, digits)

    def pct(value: float | None, digits: int = 1) -> str:
        return "–" if value is None else texts.percent(value, digits)

    def signed(value: float, digits: int = 0) -> str:
        return _sign(rounded(value, digits), texts.number(abs(value), digits))

    def signed_pct(value: float, digits: int = 1) -> str:
        return _sign(rounded(value, digits, 2), texts.percent(abs(value), digits))

    def span(low: float, high: float, digits: int | None = None) -> str:
        return percent_span(texts, low, high, digits)

    def num_span(low: float, high: float, digits: int = 0) -> str:
        return number_span(texts, low, high, digits)

    def exact(value: float) -> str:
        return exact_number(texts, value)

    def of_draws(share: float | None) -> str:
        return "–" if share is None else draw_share(texts, share)

    def hours(value: float | None, short: bool = False) -> str:
        return "–" if value is None else elapsed(texts, value, short=short)

    def signed_hours(value: float) -> str:
        return signed_elapsed(texts, value)

    def day(iso: str) -> str:
        import datetime

        return texts.date(datetime.date.fromisoformat(iso))

    return {
        "num": num,
        "pct": pct,
        "signed": signed,
        "signed_pct": signed_pct,
        "span": span,
        "num_span": num_span,
        "of_draws": of_draws,
        "exact": exact,
        "day": day,
        "elapsed": hours,
        "signed_elapsed": signed_hours,
        "md": markdown_text,
        "svg": lambda text: Markup(text),
    }


def _sign(shown: Decimal, text: str) -> str:
    """``text`` (a magnitude) with the sign of ``shown``: none where it shows as zero."""
    return f"+{text}" if shown > 0 else (f"−{text}" if shown < 0 else text)


def markdown_text(value: object) -> str:
    """Text made literal in Markdown (tables included): markup characters escaped, one line."""
    return _MARKDOWN.sub(r"\\\1", " ".join(str(value).split()))
