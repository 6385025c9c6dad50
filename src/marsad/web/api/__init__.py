"""The JSON API under /api/v1; its OpenAPI schema is at /api/v1/openapi.json."""

from fastapi import APIRouter

from marsad.web.api import (
    admin,
    alerts,
    auth,
    desk,
    documents,
    drafts,
    knowledge,
    search,
    workflow,
)

API_PREFIX = "/api/v1"


def api_router() -> APIRouter:
    router = APIRouter(prefix=API_PREFIX)
    for module in (auth, documents, knowledge, search, workflow, alerts, desk, drafts, admin):
        router.include_router(module.router)
    return router
