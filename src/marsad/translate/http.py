"""What the HTTP backends share: one POST of JSON with a timeout, failures mapped to the
specific translation errors (timeout, unreachable, rejected)."""

from __future__ import annotations

from typing import Any

import httpx

from marsad.errors import TranslationRejected, TranslationTimeout, TranslationUnavailable


def server_message(response: httpx.Response) -> str:
    """The error text of a LibreTranslate ({"error": "..."}) or OpenAI-style
    ({"error": {"message": "..."}}) answer, else the start of the body."""
    try:
        body = response.json()
    except ValueError:
        return response.text[:200]
    error = body.get("error") if isinstance(body, dict) else None
    if isinstance(error, dict):
        return str(error.get("message", error))
    return str(error) if error else response.text[:200]


def post_json(
    client: httpx.Client,
    url: str,
    payload: dict[str, Any],
    backend: str,
    headers: dict[str, str] | None = None,
) -> Any:
    """POST `payload` with the client's timeout; the JSON answer, or a translation error."""
    timeout = client.timeout.read or 0.0
    try:
        response = client.post(url, json=payload, headers=headers)
    except httpx.TimeoutException:
        raise TranslationTimeout(
            f"{backend} at {url} did not answer within {timeout:g} s"
        ) from None
    except httpx.TransportError as exc:
        raise TranslationUnavailable(f"{backend} at {url} cannot be reached: {exc}") from None
    if response.status_code >= 400:
        raise TranslationRejected(
            f"{backend} at {url} answered HTTP {response.status_code}: {server_message(response)}"
        )
    try:
        return response.json()
    except ValueError:
        raise TranslationRejected(f"{backend} at {url} answered with something not JSON") from None
