"""A fake Graph API on loopback, speaking Meta's wire format: comment replies, ``/me/messages``,
``/me/conversations``, the probe's ``/{id}``, and Graph's error bodies (``{"error": {...}}``)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

VERSION = "v19.0"


def graph_time(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S+0000")


def graph_error(
    code: int, message: str, *, subcode: int | None = None, kind: str = "OAuthException"
) -> JSONResponse:
    error: dict[str, Any] = {"message": message, "type": kind, "code": code, "fbtrace_id": "AbCdEfGhIjK"}
    if subcode is not None:
        error["error_subcode"] = subcode
    return JSONResponse({"error": error}, status_code=400)


@dataclass
class FakeGraph:
    brand_id: str
    token: str
    now: datetime
    comments: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # parent -> replies, oldest first
    conversations: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # customer -> messages
    private_replies: dict[str, str] = field(default_factory=dict)  # comment id -> message id
    errors: list[JSONResponse] = field(default_factory=list)  # answered, in order, before anything else
    requests: list[tuple[str, str]] = field(default_factory=list)
    hidden: dict[str, str] = field(default_factory=dict)  # comment id -> the field and value it was set with
    deleted: list[str] = field(default_factory=list)
    page_size: int = 100
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def customer_wrote(self, customer: str, text: str, at: datetime) -> None:
        self.conversations.setdefault(customer, []).append(
            {
                "id": f"m_{next(self._ids)}",
                "message": text,
                "from": {"id": customer},
                "created_time": graph_time(at),
            }
        )

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route(f"/{VERSION}/me/messages", self._messages, methods=["POST"]),
                Route(f"/{VERSION}/me/conversations", self._conversations, methods=["GET"]),
                Route(f"/{VERSION}/{{parent}}/{{edge}}", self._replies, methods=["GET", "POST"]),
                Route(f"/{VERSION}/{{node}}", self._node, methods=["GET", "POST", "DELETE"]),
            ]
        )

    def _gate(self, request: Request) -> JSONResponse | None:
        self.requests.append((request.method, request.url.path))
        if self.errors:
            return self.errors.pop(0)
        if request.headers.get("authorization") != f"Bearer {self.token}":
            return graph_error(
                190, "Error validating access token: The session has been invalidated.", subcode=460
            )
        return None

    async def _node(self, request: Request) -> JSONResponse:
        refused = self._gate(request)
        if refused is not None:
            return refused
        node = request.path_params["node"]
        if request.method == "POST":
            form = await request.form()
            self.hidden[node] = ",".join(f"{k}={v}" for k, v in form.items())
            return JSONResponse({"success": True})
        if request.method == "DELETE":
            self.deleted.append(node)
            return JSONResponse({"success": True})
        if node != self.brand_id:
            return graph_error(
                100, f"Unsupported get request. Object with ID '{node}' does not exist", subcode=33
            )
        return JSONResponse({"id": self.brand_id, "name": "Nimbus Cares"})

    async def _replies(self, request: Request) -> JSONResponse:
        refused = self._gate(request)
        if refused is not None:
            return refused
        parent, edge = request.path_params["parent"], request.path_params["edge"]
        if edge not in ("comments", "replies"):
            return graph_error(100, f"Unknown path components: /{edge}", kind="OAuthException")
        replies = self.comments.setdefault(parent, [])
        if request.method == "POST":
            form = await request.form()
            reply = {
                "id": f"{parent.split('_')[-1]}_{next(self._ids)}",
                "message": str(form["message"]),
                "from": {"id": self.brand_id, "name": "Nimbus Cares"},
                "created_time": graph_time(self.now),
            }
            replies.append(reply)
            return JSONResponse({"id": reply["id"]})
        newest = list(reversed(replies))
        start = int(request.query_params.get("after") or 0)
        page = newest[start : start + self.page_size]
        paging: dict[str, Any] = {"cursors": {"before": str(start), "after": str(start + len(page))}}
        if start + len(page) < len(newest):
            paging["next"] = f"https://graph.facebook.com/{VERSION}/{parent}/{edge}?after={start + len(page)}"
        return JSONResponse({"data": page, "paging": paging})

    async def _messages(self, request: Request) -> JSONResponse:
        refused = self._gate(request)
        if refused is not None:
            return refused
        body = await request.json()
        recipient, text = body["recipient"], body["message"]["text"]
        message_id = f"m_{next(self._ids)}"
        if "comment_id" in recipient:
            if recipient["comment_id"] in self.private_replies:
                return graph_error(10, "This comment has already been replied to privately", subcode=2018278)
            self.private_replies[recipient["comment_id"]] = message_id
            return JSONResponse({"recipient_id": "6021887766554433", "message_id": message_id})
        if body.get("messaging_type") != "RESPONSE":
            return graph_error(100, "(#100) messaging_type is required")
        self.conversations.setdefault(recipient["id"], []).append(
            {
                "id": message_id,
                "message": text,
                "from": {"id": self.brand_id},
                "created_time": graph_time(self.now),
            }
        )
        return JSONResponse({"recipient_id": recipient["id"], "message_id": message_id})

    async def _conversations(self, request: Request) -> JSONResponse:
        refused = self._gate(request)
        if refused is not None:
            return refused
        customer = request.query_params["user_id"]
        messages = self.conversations.get(customer)
        if messages is None:
            return JSONResponse({"data": []})
        return JSONResponse(
            {"data": [{"id": f"t_{customer}", "messages": {"data": list(reversed(messages))}}]}
        )
