"""The outermost checks of every request, as plain ASGI middleware: NUL characters and
cross-origin writes are refused, and every answer gets the security headers.

Plain ASGI rather than Starlette's `@app.middleware("http")`: that one runs each request in
an extra task behind a memory stream, which costs more than the checks themselves."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from marsad.web.deps import UNSAFE_METHODS

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
# Encoded once: every answer gets them (those the app set itself are left as set).
ENCODED_HEADERS = [
    (name.lower().encode(), value.encode()) for name, value in SECURITY_HEADERS.items()
]
NO_STORE = (b"cache-control", b"no-store")
Answer = Callable[[Request, int, str], Response]


def _cross_origin(request: Request) -> bool:
    origin = request.headers.get("origin")
    if origin is None:  # not sent by a browser across origins
        return False
    return origin == "null" or urlsplit(origin).netloc != request.headers.get("host", "")


class RequestGuard:
    """Refuses NUL characters and cross-origin writes (answered by `answer`, a JSON or HTML
    error); adds the security headers, and `Cache-Control: no-store` outside /static/."""

    def __init__(self, app: ASGIApp, answer: Answer) -> None:
        self.app = app
        self.answer = answer

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        cached = path.startswith("/static/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                extra = ENCODED_HEADERS if cached else [*ENCODED_HEADERS, NO_STORE]
                headers.extend(pair for pair in extra if pair[0] not in present)
                message["headers"] = headers
            await send(message)

        refusal: Response | None = None
        if "\x00" in path or b"%00" in scope.get("query_string", b""):
            refusal = self.answer(Request(scope), 400, "NUL characters are not allowed")
        elif scope["method"] in UNSAFE_METHODS and _cross_origin(Request(scope)):
            refusal = self.answer(Request(scope), 403, "cross-origin request refused")
        if refusal is not None:
            await refusal(scope, receive, send_with_headers)
        else:
            await self.app(scope, receive, send_with_headers)
