"""The FastAPI application: API, pages, static files, security headers and error answers."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from marsad import __version__
from marsad.errors import MarsadError, UserNotFound
from marsad.web.accounts import dummy_hash
from marsad.web.api import API_PREFIX, api_router
from marsad.web.deps import Forbidden, NotSignedIn, WebState
from marsad.web.evidence import EvidenceMissing
from marsad.web.guard import RequestGuard
from marsad.web.queries import NotFound
from marsad.web.sessions import SessionKeeper, web_secret
from marsad.web.settings import COOKIE_SECURE, SESSION_HOURS
from marsad.web.ui import ui_router
from marsad.web.ui.render import render_error
from marsad.workspace import Workspace

STATIC_DIR = Path(__file__).parent / "static"


def _is_api(request: Request) -> bool:
    return request.url.path.startswith(API_PREFIX)


def _answer(request: Request, status: int, message: str) -> Response:
    if _is_api(request):
        return JSONResponse({"detail": message}, status_code=status)
    return render_error(request, status, message)


def create_app(workspace: Workspace) -> FastAPI:
    settings = workspace.settings
    app = FastAPI(
        title="Marsad",
        version=__version__,
        description="Marsad's web workbench API: documents, captures, entities, events, search.",
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=None,  # Swagger UI loads from a CDN, which the CSP (and an offline host) refuse
        redoc_url=None,
    )
    app.state.web = WebState(
        workspace=workspace,
        keeper=SessionKeeper(web_secret(settings.home), settings.value_of(SESSION_HOURS)),
        cookie_secure=bool(settings.value_of(COOKIE_SECURE)),
    )
    dummy_hash()

    @app.exception_handler(NotSignedIn)
    async def not_signed_in(request: Request, _error: NotSignedIn) -> Response:
        if _is_api(request):
            return JSONResponse({"detail": "sign in first"}, status_code=401)
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target)}", status_code=303)

    @app.exception_handler(Forbidden)
    async def forbidden(request: Request, error: Forbidden) -> Response:
        return _answer(request, 403, error.reason)

    @app.exception_handler(NotFound)
    @app.exception_handler(EvidenceMissing)
    @app.exception_handler(UserNotFound)
    async def not_found(request: Request, error: Exception) -> Response:
        return _answer(request, 404, str(error))

    @app.exception_handler(MarsadError)
    async def refused(request: Request, error: MarsadError) -> Response:
        # A deliberate error (bad source kind, taken user name, not a name): the user's fault.
        return _answer(request, 422, str(error))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, error: RequestValidationError) -> Response:
        if _is_api(request):
            return JSONResponse({"detail": jsonable_encoder(error.errors())}, status_code=422)
        return render_error(request, 422, "invalid request")

    app.include_router(ui_router())
    app.include_router(api_router())
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.add_middleware(RequestGuard, answer=_answer)
    return app


def app_from_environment() -> FastAPI:
    """The app of one `marsad serve --workers N` process: a workspace of its own, opened from
    the settings in the environment (sessions and the web secret are shared through the home)."""
    return create_app(Workspace.open())
