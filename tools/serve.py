"""Build, serve on http://127.0.0.1:8000/ and rebuild when a file changes.

A failed rebuild prints its problems and keeps serving the last good site.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import sys
import threading
from pathlib import Path

from watchfiles import watch

from tools.build import ROOT, build, tidy

WATCHED = ["content", "members", "case_studies", "theme", "plugins", "pelicanconf.py"]


class _Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # keep the terminal for build messages
        pass

    def send_error(self, code, message=None, explain=None):
        not_found = Path(self.directory) / "404.html"
        if code == 404 and not_found.exists():
            body = not_found.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().send_error(code, message, explain)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="make serve")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--bind", default="127.0.0.1")
    args = parser.parse_args(argv)
    status = build(overrides={"SITEURL": ""})
    tidy()
    if status != 0 and not (ROOT / "output").exists():
        print("Fix the problems above; the server starts once the site builds.")
    output = ROOT / "output"
    output.mkdir(exist_ok=True)
    handler = functools.partial(_Handler, directory=str(output))
    server = http.server.ThreadingHTTPServer((args.bind, args.port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"Serving the site at http://{args.bind}:{args.port}/ (Ctrl+C to stop). Watching for changes...")
    try:
        for changes in watch(*[ROOT / p for p in WATCHED if (ROOT / p).exists()],
                             watch_filter=lambda change, path: "__pycache__" not in path):
            names = ", ".join(sorted({Path(p).relative_to(ROOT).as_posix() for _, p in changes}))
            print(f"Changed: {names}. Rebuilding...")
            build(overrides={"SITEURL": ""})
            tidy()  # while the next edit is being made
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
