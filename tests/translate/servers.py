"""Real HTTP servers on 127.0.0.1 speaking the documented APIs of the HTTP backends:

- LibreTranslate: POST /translate, JSON {"q": str | [str], "source", "target", "format",
  "api_key"} → {"translatedText": str | [str]}; errors {"error": "..."} with 400/403/500.
- OpenAI chat completions: POST /v1/chat/completions, Bearer key, JSON {"model", "messages":
  [{"role", "content"}], ...} → {"id", "object": "chat.completion", "created", "model",
  "choices": [{"index", "message": {"role": "assistant", "content"}, "finish_reason"}],
  "usage"}; errors {"error": {"message", "type"}}.

Their "translation" is a transformation the test chooses (`translate`), applied to each
segment, so tests can check what reached the server and what came back.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class FakeTranslator:
    translate: Callable[[str], str]
    api_key: str | None = None
    model: str = "test-model"
    delay: float = 0.0
    # Answer this status (with the API's error body) to every request while set.
    fail_status: int | None = None
    base_url: str = ""
    requests: list[dict[str, Any]] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)

    def segments_received(self) -> list[str]:
        """Every segment any request carried, in order."""
        found: list[str] = []
        for body in self.requests:
            if "q" in body:
                found.extend([body["q"]] if isinstance(body["q"], str) else body["q"])
            else:
                found.extend(json.loads(body["messages"][-1]["content"])["segments"])
        return found


def _libretranslate(server: FakeTranslator, body: dict[str, Any]) -> tuple[int, Any]:
    if server.api_key is not None and body.get("api_key") != server.api_key:
        return 403, {"error": "Invalid API key"}
    if (
        not isinstance(body.get("q"), str | list)
        or not body.get("source")
        or not body.get("target")
    ):
        return 400, {"error": "Invalid request: missing q, source or target parameter"}
    if body.get("format", "text") not in ("text", "html"):
        return 400, {"error": "Invalid format"}
    query = body["q"]
    if isinstance(query, str):
        return 200, {"translatedText": server.translate(query)}
    return 200, {"translatedText": [server.translate(text) for text in query]}


def _chat_completions(
    server: FakeTranslator, body: dict[str, Any], headers: dict[str, str]
) -> tuple[int, Any]:
    if server.api_key is not None and headers.get("Authorization") != f"Bearer {server.api_key}":
        return 401, {
            "error": {"message": "Incorrect API key provided", "type": "invalid_request_error"}
        }
    messages = body.get("messages")
    if body.get("model") != server.model or not isinstance(messages, list) or not messages:
        return 400, {
            "error": {"message": "model and messages are required", "type": "invalid_request_error"}
        }
    if not all({"role", "content"} <= set(message) for message in messages):
        return 400, {
            "error": {
                "message": "each message needs role and content",
                "type": "invalid_request_error",
            }
        }
    segments = json.loads(messages[-1]["content"])["segments"]
    content = json.dumps({"translations": [server.translate(s) for s in segments]})
    return 200, {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": server.model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content},
                "finish_reason": "stop",
            }
        ],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }


def _handler(server: FakeTranslator) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *_args: object) -> None:
            pass

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            headers = dict(self.headers)
            try:
                body = json.loads(self.rfile.read(length).decode("utf-8"))
            except ValueError:
                self._send(400, {"error": "Invalid JSON"})
                return
            server.requests.append(body)
            server.headers.append(headers)
            if server.delay:
                time.sleep(server.delay)
            if server.fail_status is not None:
                message = "Translation failed: the model is overloaded"
                error: Any = message if self.path == "/translate" else {"message": message}
                self._send(server.fail_status, {"error": error})
            elif self.path == "/translate":
                self._send(*_libretranslate(server, body))
            elif self.path == "/v1/chat/completions":
                self._send(*_chat_completions(server, body, headers))
            else:
                self._send(404, {"error": "Not Found"})

        def _send(self, status: int, payload: Any) -> None:
            data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (a timeout test)

    return Handler


@contextmanager
def translation_server(translator: FakeTranslator) -> Iterator[FakeTranslator]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(translator))
    server.daemon_threads = True
    translator.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield translator
    finally:
        server.shutdown()
        server.server_close()
