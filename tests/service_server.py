"""A local stand-in for the public services and for the web, for the ``resolve`` and ``check`` tests.

It answers, from tests/fixtures/services/ (files written in each service's documented format):

    /arxiv?id_list=ID            arxiv/ID.xml, else an empty feed
    /s2/arXiv:ID, /s2/DOI:DOI    s2/arXiv_ID.json, s2/DOI_<doi, / as _>.json, else 404 "Paper not found"
    /crossref/DOI                crossref/<doi, / as _>.json, else 404 "Resource not found."
    /dblp?q=TITLE                the dblp/*.json with a hit whose title is most like TITLE, else no hits
    /github/OWNER/REPO           github/OWNER_REPO.json, else 404

It is also an HTTP proxy for made-up sites (``http://links.example.org/...``), whose paths behave as named:
``/ok``, ``/dead`` (404), ``/gone`` (410), ``/moved`` (301 to /ok-new), ``/temp`` (302 to /ok),
``/loop`` (301 to itself), ``/limited`` (429, Retry-After 1, always), ``/limited-once`` (429 then 200),
``/slow`` (answers after 3 s), ``/huge`` (a 6 MB body), ``/nohead`` (405 to HEAD, 206 to a ranged GET),
``/error`` (503 always), ``/notjson`` (200 with HTML). Every request is logged in ``server.log``.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from llmpapers.identity.titles import match_key

FIXTURES = Path(__file__).parent / "fixtures" / "services"
EMPTY_FEED = '<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom"></feed>\n'
NO_HITS = {"result": {"hits": {"@total": "0", "@computed": "0", "@sent": "0", "@first": "0"}}}


class ServiceServer:
    def __init__(self) -> None:
        self.log: list[tuple[str, str]] = []  # (method, path as received)
        self.counts: dict[str, int] = {}
        self._dblp = _dblp_index()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:  # quiet
                pass

            def do_GET(self) -> None:  # noqa: N802
                outer.handle(self, "GET")

            def do_HEAD(self) -> None:  # noqa: N802
                outer.handle(self, "HEAD")

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def services_env(self) -> str:
        u = self.url
        return f"arxiv={u}/arxiv,s2={u}/s2,crossref={u}/crossref,dblp={u}/dblp,github={u}/github"

    # ----------------------------------------------------------------------------------------- routing

    def handle(self, h: BaseHTTPRequestHandler, method: str) -> None:
        self.log.append((method, h.path))
        parts = urlsplit(h.path)
        host = parts.netloc if parts.scheme else ""
        path, query = unquote(parts.path), parse_qs(parts.query)
        if host.endswith("example.org"):
            return self._site(h, method, path)
        if path == "/arxiv":
            name = FIXTURES / "arxiv" / f"{query.get('id_list', [''])[0]}.xml"
            return _send(h, 200, name.read_text("utf-8") if name.is_file() else EMPTY_FEED, "application/atom+xml")
        if path.startswith("/s2/"):
            key = path.removeprefix("/s2/").replace(":", "_", 1).replace("/", "_")
            return self._file(h, FIXTURES / "s2" / f"{key}.json", {"error": "Paper not found"})
        if path.startswith("/crossref/"):
            doi = path.removeprefix("/crossref/")
            file = FIXTURES / "crossref" / f"{doi.replace('/', '_')}.json"
            if not file.is_file():
                return _send(h, 404, "Resource not found.", "text/plain")
            return self._file(h, file, None)
        if path == "/dblp":
            found = _best(self._dblp, match_key(query.get("q", [""])[0]))
            return _send(h, 200, found.read_text("utf-8") if found else json.dumps(NO_HITS), "application/json")
        if path.startswith("/github/"):
            name = path.removeprefix("/github/").strip("/").replace("/", "_")
            return self._file(h, FIXTURES / "github" / f"{name}.json", {"message": "Not Found"})
        return _send(h, 404, "no such route", "text/plain")

    def _file(self, h: BaseHTTPRequestHandler, file: Path, missing: object) -> None:
        if file.is_file():
            return _send(h, 200, file.read_text("utf-8"), "application/json")
        return _send(h, 404, json.dumps(missing), "application/json")

    def _site(self, h: BaseHTTPRequestHandler, method: str, path: str) -> None:
        n = self.counts[path] = self.counts.get(path, 0) + 1
        base = f"http://{urlsplit(h.path).netloc}"
        if path in ("/ok", "/ok-new"):
            return _send(h, 200, "<html>fine</html>", "text/html", method)
        if path == "/dead":
            return _send(h, 404, "not here", "text/plain", method)
        if path == "/gone":
            return _send(h, 410, "gone", "text/plain", method)
        if path == "/moved":
            return _send(h, 301, "", "text/plain", method, {"Location": f"{base}/ok-new"})
        if path == "/temp":
            return _send(h, 302, "", "text/plain", method, {"Location": f"{base}/ok"})
        if path == "/loop":
            return _send(h, 301, "", "text/plain", method, {"Location": f"{base}/loop"})
        if path == "/limited" or (path == "/limited-once" and n == 1):
            return _send(h, 429, "slow down", "text/plain", method, {"Retry-After": "1"})
        if path == "/limited-once":
            return _send(h, 200, "fine now", "text/plain", method)
        if path == "/error":
            return _send(h, 503, "down", "text/plain", method)
        if path == "/slow":
            time.sleep(3)
            return _send(h, 200, "late", "text/plain", method)
        if path == "/huge":
            return _send(h, 200, "x" * (6 * 1024 * 1024), "text/plain", method)
        if path == "/nohead":
            if method == "HEAD":
                return _send(h, 405, "", "text/plain", method)
            return _send(h, 206, "f", "text/plain", method, {"Content-Range": "bytes 0-0/10"})
        if path == "/notjson":
            return _send(h, 200, "<html>not json</html>", "text/html", method)
        return _send(h, 404, "unknown", "text/plain", method)


def _send(h, status: int, body: str, kind: str, method: str = "GET", headers: dict | None = None) -> None:  # noqa: ANN001
    data = body.encode("utf-8")
    h.send_response(status)
    h.send_header("Content-Type", f"{kind}; charset=utf-8")
    h.send_header("Content-Length", str(len(data)))
    for name, value in (headers or {}).items():
        h.send_header(name, value)
    h.end_headers()
    if method != "HEAD":
        try:
            h.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):  # the client stopped reading (a huge body)
            pass


def _dblp_index() -> list[tuple[str, Path]]:
    """Each DBLP fixture under the folded title of each of its hits."""
    index = []
    for file in sorted((FIXTURES / "dblp").glob("*.json")):
        hits = json.loads(file.read_text("utf-8"))["result"]["hits"].get("hit") or []
        index += [(match_key(hit["info"]["title"].rstrip(".")), file) for hit in hits]
    return index


def _best(index: list[tuple[str, Path]], query: str) -> Path | None:
    """The file a search engine would answer from: the one with the title most like the query (a search
    for an arXiv title finds the renamed published version too)."""
    from rapidfuzz import fuzz

    scored = [(fuzz.token_set_ratio(query, title), file) for title, file in index]
    best = max(scored, default=(0, None), key=lambda t: t[0])
    return best[1] if best[0] >= 80 else None
