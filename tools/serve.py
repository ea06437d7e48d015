"""Build, serve on http://127.0.0.1:8000/ and rebuild when a file changes.

A failed rebuild prints its problems and keeps serving the last good site.

Content, templates, vocabularies, schemas and settings are read again by
every rebuild. Python code is not: a module imported once stays as it was
in this process, so a rebuild after editing a plugin would run the old
code. When a ``.py`` file under ``plugins/`` or ``tools/`` changes, this
process starts itself again (the same command, the same port) and does a
full build with the new code; a file that does not compile is reported and
waited on instead, so a half-typed edit does not stop the server.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import sys
import threading
from pathlib import Path

from watchfiles import watch

from tools.build import ROOT, build, tidy

WATCHED = ["content", "members", "case_studies", "theme", "plugins", "tools", "pelicanconf.py"]
#: Folders whose Python code this process has imported: a change there needs a new process.
CODE = ("plugins", "tools")


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
    port = server.server_address[1]  # the one given, or the one the system chose for --port 0
    print(f"Serving the site at http://{args.bind}:{port}/ (Ctrl+C to stop). Watching for changes...", flush=True)
    try:
        for changes in watch(*[ROOT / p for p in WATCHED if (ROOT / p).exists()],
                             watch_filter=lambda change, path: "__pycache__" not in path):
            paths = sorted({Path(p).relative_to(ROOT).as_posix() for _, p in changes})
            code = changed_code(paths)
            if code:
                broken = not_compiling(code)
                if broken:
                    print("\n".join(broken))
                    print("Fix it and save again; the site keeps being served as it was.")
                    continue
                print(f"Changed code: {', '.join(code)}. Restarting make serve so that the new code runs...")
                server.shutdown()
                server.server_close()
                restart(["--port", str(port), "--bind", args.bind])
            print(f"Changed: {', '.join(paths)}. Rebuilding...")
            build(overrides={"SITEURL": ""})
            tidy()  # while the next edit is being made
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
    return 0


def changed_code(paths: list[str]) -> list[str]:
    """The changed Python files among ``paths`` (relative to the project)."""
    return [path for path in paths if path.endswith(".py") and path.split("/", 1)[0] in CODE]


def not_compiling(paths: list[str]) -> list[str]:
    """A line for each of ``paths`` that is not valid Python, as
    ``file:line:col: error: message``; deleted files are left out."""
    problems = []
    for path in paths:
        try:
            source = (ROOT / path).read_bytes()
        except FileNotFoundError:
            continue
        try:
            compile(source, path, "exec")
        except SyntaxError as error:
            problems.append(f"{path}:{error.lineno or 1}:{error.offset or 1}: error: {error.msg}")
    return problems


def restart(arguments: list[str]) -> None:
    """Replace this process with a new ``python -m tools.serve arguments``,
    in the same folder and environment. The listening socket is closed
    first (Python does not pass it on), so the new process binds the same
    port."""
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(sys.executable, [sys.executable, "-m", "tools.serve", *arguments])


if __name__ == "__main__":
    sys.exit(main())
