"""The FastAPI application: API, pages, static files, security headers and error answers."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from urllib.parse import quote, urlsplit

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from marsad import __version__
from marsad.errors import MarsadError, UserNotFound
from marsad.web.api import API_PREFIX, api_router
from marsad.web.deps import UNSAFE_METHODS, Forbidden, NotSignedIn, WebState
from marsad.web.evidence import EvidenceMissing
from marsad.web.queries import NotFound
from marsad.web.sessions import SessionKeeper, web_secret
from marsad.web.settings import COOKIE_SECURE, SESSION_HOURS
from marsad.web.ui import ui_router
from marsad.web.ui.render import render_error
from marsad.workspace import Workspace

STATIC_DIR = Path(__file__).parent / "static"
# No inline script or style anywhere: a payload that slips into a page still cannot run.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    # Following a link to a group's site must not tell it which analyst page it came from
    # (and "same-origin" rather than "no-referrer" keeps the Origin header of our own forms).
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


def _is_api(request: Request) -> bool:
    return request.url.path.startswith(API_PREFIX)


def _answer(request: Request, status: int, message: str) -> Response:
    if _is_api(request):
        return JSONResponse({"detail": message}, status_code=status)
    return render_error(request, status, message)


def _cross_origin(request: Request) -> bool:
    origin = request.headers.get("origin")
    if origin is None:  # not sent by a browser across origins
        return False
    return origin == "null" or urlsplit(origin).netloc != request.headers.get("host", "")


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

    @app.middleware("http")
    async def guard(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        if "\x00" in request.url.path or "%00" in request.url.query:
            response: Response = _answer(request, 400, "NUL characters are not allowed")
        elif request.method in UNSAFE_METHODS and _cross_origin(request):
            response = _answer(request, 403, "cross-origin request refused")
        else:
            response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if not request.url.path.startswith("/static/"):
            response.headers.setdefault("Cache-Control", "no-store")
        return response

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

    app.include_router(api_router())
    app.include_router(ui_router())
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app
