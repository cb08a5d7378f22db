"""A tiny web application for App Runner: greets on /, reports health on /health.

It listens on the port App Runner gives it in PORT (8080 when PORT is not set) and greets
NAME (one of the service's runtime environment variables). Standard library only.
"""

import json
import os
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/health":
            self.reply(200, "text/plain", "ok\n")
        elif self.path == "/":
            name = os.environ.get("NAME", "world")
            self.reply(200, "text/plain", f"Hello, {name}! This is hello-app on App Runner.\n")
        elif self.path == "/env":
            names = sorted(k for k in os.environ if k in ("NAME", "PORT"))
            self.reply(200, "application/json", json.dumps({k: os.environ[k] for k in names}) + "\n")
        else:
            self.reply(404, "text/plain", "not found\n")

    def reply(self, status, content_type, text):
        body = text.encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        print("%s %s" % (self.address_string(), format % args), flush=True)


if __name__ == "__main__":
    port = int(os.environ.get("PORT", "8080"))
    server = ThreadingHTTPServer(("0.0.0.0", port), Handler)
    print(f"hello-app listening on port {port}", flush=True)
    server.serve_forever()
