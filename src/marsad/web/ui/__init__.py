"""Server-rendered pages (Jinja2 + htmx)."""

from fastapi import APIRouter

from marsad.web.ui import alerts, auth, composer, desk, monitoring, pages, workflow


def ui_router() -> APIRouter:
    router = APIRouter()
    for module in (auth, pages, desk, alerts, composer, workflow, monitoring):
        router.include_router(module.router)
    return router
