"""A webhook receiver on loopback, run as its own process so tests can kill it.

    python tests/notices/receiver.py PORT LOG [FAILURES]

Appends one JSON line per POST to LOG (headers and body, fsync'd before it answers),
and answers 200, or 500 to the first FAILURES posts of each path and Idempotency-Key.
"""

from __future__ import annotations

import json
import os
import sys
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PORT, LOG = int(sys.argv[1]), sys.argv[2]
FAILURES = int(sys.argv[3]) if len(sys.argv) > 3 else 0
_seen: Counter[str] = Counter()
_lock = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("content-length", "0")))
        key = self.headers.get("Idempotency-Key", "")
        with _lock:
            _seen[self.path + " " + key] += 1
            failing = _seen[self.path + " " + key] <= FAILURES
            record = {
                "path": self.path,
                "key": key,
                "signature": self.headers.get("X-Gongjian-Signature"),
                "timestamp": self.headers.get("X-Gongjian-Timestamp"),
                "body": body.decode("utf-8"),
                "status": 500 if failing else 200,
            }
            with open(LOG, "a", encoding="utf-8") as out:
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
                out.flush()
                os.fsync(out.fileno())
        self.send_response(500 if failing else 200)
        self.send_header("content-length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


if __name__ == "__main__":
    server = ThreadingHTTPServer(("127.0.0.1", PORT), Handler)
    print("ready", flush=True)
    server.serve_forever()
