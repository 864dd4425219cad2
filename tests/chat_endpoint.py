"""A real OpenAI-compatible HTTP endpoint on 127.0.0.1 whose answers a test decides.

``answer(body)`` gets each /v1/chat/completions request body and returns (status, reply text);
a status other than 200 is sent as an OpenAI-style error with that text as its message.
"""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

Answer = Callable[[dict], tuple[int, str]]


def prompt_of(body: dict) -> str:
    return " ".join(m["content"] for m in body["messages"] if isinstance(m["content"], str))


@contextlib.contextmanager
def chat_endpoint(answer: Answer) -> Iterator[tuple[str, list[dict]]]:
    """(base URL, the request bodies received so far) while the server runs."""
    bodies: list[dict] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's name)
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            bodies.append(body)
            status, text = answer(body)
            if status == 200:
                choice = {"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}
                payload: dict = {
                    "id": "chatcmpl-1",
                    "object": "chat.completion",
                    "created": 0,
                    "model": body.get("model", "fake"),
                    "choices": [choice],
                    "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15},
                }
            else:
                payload = {"error": {"message": text, "type": "invalid_request_error", "code": None}}
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1", bodies
    finally:
        server.shutdown()
        server.server_close()
