"""Server-rendered pages (Jinja2 + htmx)."""

from fastapi import APIRouter

from marsad.web.ui import auth, monitoring, pages, workflow


def ui_router() -> APIRouter:
    router = APIRouter()
    for module in (auth, pages, workflow, monitoring):
        router.include_router(module.router)
    return router
