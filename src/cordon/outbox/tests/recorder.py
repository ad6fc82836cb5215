"""A local HTTP server that records what arrives (stdlib http.server in a thread on 127.0.0.1:0) and answers like
the SMS gateway, a WeCom robot or a DingTalk robot would. DingTalk's signature is verified as DingTalk does."""

import base64
import hashlib
import hmac
import json
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Recorder:
    def __init__(self):
        self.requests: list[dict] = []
        self.answers: dict[str, list[tuple[int, dict]]] = {}  # path -> answers to give in turn (the last repeats)
        self.dingtalk_secret = ""

    def answer(self, path: str, *answers: tuple[int, dict]) -> None:
        self.answers[path] = list(answers)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"

    def start(self) -> "Recorder":
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's name
                parts = urllib.parse.urlsplit(self.path)
                raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                query = dict(urllib.parse.parse_qsl(parts.query))
                entry = {"path": parts.path, "query": query, "headers": dict(self.headers), "raw": raw, "json": json.loads(raw or b"{}")}
                recorder.requests.append(entry)
                if parts.path.startswith("/robot/send") and recorder.dingtalk_secret:
                    status, body = recorder.check_dingtalk(query)
                else:
                    queue = recorder.answers.get(parts.path) or [(200, {"errcode": 0, "errmsg": "ok"})]
                    status, body = queue.pop(0) if len(queue) > 1 else queue[0]
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def check_dingtalk(self, query: dict) -> tuple[int, dict]:
        """DingTalk's rule: sign = base64(HMAC-SHA256(secret, f"{timestamp}\\n{secret}")), timestamp within an hour."""
        stamp = query.get("timestamp", "")
        if not stamp.isdigit() or abs(int(stamp) - time.time() * 1000) > 3600 * 1000:
            return 200, {"errcode": 310000, "errmsg": "invalid timestamp"}
        digest = hmac.new(self.dingtalk_secret.encode(), f"{stamp}\n{self.dingtalk_secret}".encode(), hashlib.sha256).digest()
        if not hmac.compare_digest(base64.b64encode(digest).decode(), query.get("sign", "")):
            return 200, {"errcode": 310000, "errmsg": "sign not match"}
        return 200, {"errcode": 0, "errmsg": "ok"}

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
