"""Where a request without a (live) session is sent: to the login form, with `next` the page to come
back to, never a page fragment and never another site.

- An HTMX request (a swap inside a page) gets 401 with `HX-Redirect`: HTMX then loads the login form as
  the whole page instead of swapping it into a fragment; `next` is the page the browser showed
  (`HX-Current-URL`), so after logging in the agent is back on that conversation.
- A plain form POST goes back to the page that held the form (`Referer`), not to the POST's URL.
- A script's fetch or an EventSource (`Sec-Fetch-Mode` other than `navigate`) gets a plain 401.
- Any other request (a GET of a page) comes back to itself.

`next` is always a local path (`safe_next`): `//evil.example`, `https://evil.example`, `/\\evil` and
the like become `/`.
"""

from __future__ import annotations

from urllib.parse import quote, urlsplit

from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response


def safe_next(target: str | None) -> str:
    """A local path to go to after login; anything else (other hosts, schemes, `//x`, `/\\x`) is `/`."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in target):
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return "/"
    return target


def _same_site_path(url: str | None, request: Request) -> str | None:
    """The path and query of `url` when it points at this site, else None."""
    if not url:
        return None
    parts = urlsplit(url)
    if parts.netloc and parts.netloc != request.url.netloc:
        return None
    if parts.scheme and parts.scheme not in ("http", "https"):
        return None
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return safe_next(path) if path else None


def login_url(next_path: str) -> str:
    return f"/login?next={quote(safe_next(next_path), safe='/')}"


def to_login(request: Request) -> Response:
    """The answer to a request whose session is missing or has expired."""
    if request.headers.get("hx-request") == "true":
        page = _same_site_path(request.headers.get("hx-current-url"), request) or "/"
        answer = PlainTextResponse("Your session has ended: log in again.", status_code=401)
        answer.headers["HX-Redirect"] = login_url(page)
        return answer
    mode = request.headers.get("sec-fetch-mode")
    if mode is not None and mode != "navigate":
        # A script's fetch (presence) or an EventSource: no page to show, and following a redirect
        # would load a second login form behind the page's back (replacing its security token).
        return PlainTextResponse("Your session has ended: log in again.", status_code=401)
    if request.method in ("GET", "HEAD"):
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    else:
        target = _same_site_path(request.headers.get("referer"), request) or "/"
    return RedirectResponse(login_url(target), status_code=303)
