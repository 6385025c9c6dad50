"""Rendering pages: one Jinja2 environment (autoescape on for every template)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from marsad.referral.platforms import referral_rules
from marsad.web.accounts import may
from marsad.web.display import safe_display

TEMPLATES_DIR = Path(__file__).parents[1] / "templates"
RTL_LANGUAGES = frozenset({"ar", "fa", "he", "ur", "ps", "ckb", "yi", "sd", "ug", "dv", "arz"})

environment = Environment(
    loader=FileSystemLoader(TEMPLATES_DIR),
    # Everything captured is untrusted: autoescape every template, whatever its name.
    autoescape=select_autoescape(default=True, default_for_string=True),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    # Templates ship with the package: no stat() of each file on every page.
    auto_reload=False,
    # Bidi controls shown, homograph hosts in punycode, in every value a template prints.
    finalize=safe_display,
)


def text_direction(language: str | None) -> str:
    return "rtl" if (language or "").split("-")[0] in RTL_LANGUAGES else "ltr"


environment.filters["dir"] = text_direction
environment.globals["may"] = may
environment.globals["referral_rules"] = referral_rules()  # the document page's referral form


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    html = environment.get_template(template).render(
        request=request,
        user=getattr(request.state, "account", None),
        csrf_token=getattr(request.state, "csrf_token", ""),
        **context,
    )
    return HTMLResponse(html, status_code=status_code)


def render_error(request: Request, status: int, message: str) -> HTMLResponse:
    return render(request, "error.html", status_code=status, status=status, message=message)
