"""The UI's static files: a fixed allow-list served from the package, with versioned URLs."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from fastapi import APIRouter, HTTPException, status
from starlette.responses import FileResponse

STATIC = Path(__file__).parent / "static"

# Every file the UI may serve, with its content type. Nothing else under /static answers.
FILES = {
    "app.css": "text/css; charset=utf-8",
    "app.js": "text/javascript; charset=utf-8",
    "desk.css": "text/css; charset=utf-8",
    "desk.js": "text/javascript; charset=utf-8",
    "drafts.js": "text/javascript; charset=utf-8",
    "favicon.svg": "image/svg+xml",
    "htmx.min.js": "text/javascript; charset=utf-8",
    "mission.css": "text/css; charset=utf-8",
    "mission.js": "text/javascript; charset=utf-8",
    "notify.js": "text/javascript; charset=utf-8",
}

router = APIRouter()


@cache
def _version(name: str) -> str:
    return hashlib.sha256((STATIC / name).read_bytes()).hexdigest()[:12]


def static_url(name: str) -> str:
    """`/static/app.css?v=<hash>`: the hash changes with the file, so browsers may cache it for a day."""
    if name not in FILES:
        raise KeyError(f"{name} is not in the static allow-list")
    return f"/static/{name}?v={_version(name)}"


@router.get("/static/{name}", include_in_schema=False)
def static_file(name: str) -> FileResponse:
    media_type = FILES.get(name)
    if media_type is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "no such file")
    return FileResponse(
        STATIC / name, media_type=media_type, headers={"Cache-Control": "public, max-age=86400"}
    )


@router.get("/favicon.ico", include_in_schema=False)
def favicon() -> FileResponse:
    """Browsers ask for /favicon.ico on every site; answer with the SVG icon rather than a 404."""
    return static_file("favicon.svg")
