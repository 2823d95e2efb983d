"""A fake App Store Connect API on loopback, speaking its wire format: every request must carry a JWT
signed ES256 by the team's key (checked against its public key: ``kid``, ``iss``, ``aud``
``appstoreconnect-v1``, ``exp`` at most 20 minutes after ``iat``); ``GET /v1/apps/{id}/customerReviews``
(``sort=-createdDate``, ``limit``, ``include=response``, ``links.next``), ``GET
/v1/customerReviews/{id}/response`` (404 when none), ``POST /v1/customerReviewResponses`` (409 when the
review has a response), with JSON:API error bodies and 429 answers with Retry-After."""

from __future__ import annotations

import base64
import json
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

APP_ID = "1234567890"
ISSUER = "57246542-96fe-1a63-e053-0824d011072a"
KEY_ID = "2X9R4HXF34"


def new_key() -> tuple[str, ec.EllipticCurvePublicKey]:
    """A team key as App Store Connect hands it out: the .p8 text (PKCS #8 PEM) and its public key."""
    key = ec.generate_private_key(ec.SECP256R1())
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return pem.decode("ascii"), key.public_key()


def api_error(status: int, code: str, detail: str, headers: dict[str, str] | None = None) -> JSONResponse:
    body = {
        "errors": [{"id": "e1", "status": str(status), "code": code, "title": code.title(), "detail": detail}]
    }
    return JSONResponse(body, status_code=status, headers=headers)


def _unb64(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


@dataclass
class FakeAppStore:
    now: datetime
    public_key: ec.EllipticCurvePublicKey
    page_size: int = 200
    reviews: list[dict[str, Any]] = field(default_factory=list)  # oldest first
    responses: dict[str, dict[str, Any]] = field(default_factory=dict)  # review id -> response
    requests: list[tuple[str, str]] = field(default_factory=list)
    errors: list[JSONResponse] = field(default_factory=list)
    refused_tokens: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add_review(self, nickname: str, title: str, body: str, rating: int, at: datetime) -> str:
        review_id = f"00000{len(self.reviews) + 1:03d}-ab12-cd34-ef56-7890abcdef12"
        attributes = {
            "rating": rating,
            "title": title,
            "body": body,
            "reviewerNickname": nickname,
            "createdDate": at.isoformat(),
            "territory": "USA",
        }
        with self.lock:
            self.reviews.append({"type": "customerReviews", "id": review_id, "attributes": attributes})
        return review_id

    def calls(self, method: str, path: str) -> int:
        with self.lock:
            return sum(1 for m, p in self.requests if (m, p) == (method, path))

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/v1/apps/{app}/customerReviews", self.list_reviews),
                Route("/v1/customerReviews/{review}/response", self.get_response),
                Route("/v1/customerReviewResponses", self.create_response, methods=["POST"]),
            ]
        )

    def _verified(self, request: Request) -> str | None:
        """Why the request's token is refused, or None when it is good."""
        token = request.headers.get("authorization", "").removeprefix("Bearer ")
        try:
            head, claims, signature = token.split(".")
            header, payload = json.loads(_unb64(head)), json.loads(_unb64(claims))
            raw = _unb64(signature)
            der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
            self.public_key.verify(der, f"{head}.{claims}".encode(), ec.ECDSA(hashes.SHA256()))
        except (ValueError, InvalidSignature):
            return "bad signature"
        if header.get("alg") != "ES256" or header.get("kid") != KEY_ID:
            return "wrong header"
        now = int(self.now.timestamp())
        if payload.get("iss") != ISSUER or payload.get("aud") != "appstoreconnect-v1":
            return "wrong claims"
        if not (payload["iat"] <= now + 60 < payload["exp"] + 60) or payload["exp"] - payload["iat"] > 1200:
            return "expired"
        return None

    def _gate(self, request: Request) -> JSONResponse | None:
        refused = self._verified(request)
        with self.lock:
            self.requests.append((request.method, request.url.path))
            if refused is not None:
                self.refused_tokens.append(refused)
                return api_error(
                    401, "NOT_AUTHORIZED", "Provide a properly configured and signed bearer token."
                )
            if self.errors:
                return self.errors.pop(0)
        return None

    async def list_reviews(self, request: Request) -> JSONResponse:
        refused = self._gate(request)
        if refused is not None:
            return refused
        if request.path_params["app"] != APP_ID:
            return api_error(404, "NOT_FOUND", "There is no resource of type 'apps' with id.")
        if request.query_params.get("sort") != "-createdDate":
            return api_error(400, "PARAMETER_ERROR.INVALID", "sort")
        size = min(int(request.query_params.get("limit", "50")), 200, self.page_size)
        start = int(request.query_params.get("cursor") or 0)
        include = request.query_params.get("include") == "response"
        with self.lock:
            newest_first = list(reversed(self.reviews))[start : start + size]
            data, included = [], []
            for review in newest_first:
                item = dict(review)
                answer = self.responses.get(review["id"])
                item["relationships"] = {
                    "response": {"data": {"type": answer["type"], "id": answer["id"]} if answer else None}
                }
                data.append(item)
                if include and answer:
                    included.append(answer)
            total = len(self.reviews)
        body: dict[str, Any] = {
            "data": data,
            "links": {"self": str(request.url)},
            "meta": {"paging": {"total": total, "limit": size}},
        }
        if include:
            body["included"] = included
        if start + size < total:
            body["links"]["next"] = str(request.url.include_query_params(cursor=str(start + size)))
        return JSONResponse(body)

    async def get_response(self, request: Request) -> JSONResponse:
        refused = self._gate(request)
        if refused is not None:
            return refused
        with self.lock:
            answer = self.responses.get(request.path_params["review"])
        if answer is None:
            return api_error(404, "NOT_FOUND", "There is no response for this review.")
        return JSONResponse({"data": answer, "links": {"self": str(request.url)}})

    async def create_response(self, request: Request) -> JSONResponse:
        refused = self._gate(request)
        if refused is not None:
            return refused
        data = (await request.json()).get("data") or {}
        review_id = (((data.get("relationships") or {}).get("review") or {}).get("data") or {}).get("id")
        text = (data.get("attributes") or {}).get("responseBody") or ""
        with self.lock:
            known = any(r["id"] == review_id for r in self.reviews)
            if not known:
                return api_error(
                    404, "NOT_FOUND", "There is no resource of type 'customerReviews' with that id."
                )
            if review_id in self.responses:
                return api_error(409, "ENTITY_ERROR", "This review already has a response.")
            if data.get("type") != "customerReviewResponses" or not text or len(text) > 5970:
                return api_error(422, "ENTITY_ERROR.ATTRIBUTE.INVALID", "responseBody is invalid.")
            self.now += timedelta(seconds=1)
            answer = {
                "type": "customerReviewResponses",
                "id": f"resp-{len(self.responses) + 1}",
                "attributes": {
                    "responseBody": text,
                    "lastModifiedDate": self.now.isoformat(),
                    "state": "PENDING_PUBLISH",
                },
            }
            self.responses[review_id] = answer
        return JSONResponse({"data": answer}, status_code=201)
