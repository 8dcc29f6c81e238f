"""Protection for the review UI: CSRF on every POST and an optional access token.

Documents are untrusted input and reviewers often run the UI on a shared machine, so:
* every POST must carry the double-submit CSRF token (a SameSite=Strict cookie echoed
  in a form field) and, when the browser sends one, an Origin of this very server;
* with `--token`, every request must present it once (``?token=…``, which sets a
  cookie, or an ``Authorization: Bearer`` header).
Templates autoescape everything; no route serves files outside the package.
"""

from __future__ import annotations

import hmac
import secrets
from urllib.parse import urlsplit

from fastapi import Request
from fastapi.responses import PlainTextResponse, RedirectResponse, Response

CSRF_COOKIE = "jixiao_csrf"
TOKEN_COOKIE = "jixiao_token"


def csrf_token(request: Request) -> str:
    """The token of this browser (set as a cookie by `ensure_csrf_cookie`)."""
    token = request.cookies.get(CSRF_COOKIE) or getattr(request.state, "new_csrf", None)
    if token is None:
        token = secrets.token_urlsafe(24)
        request.state.new_csrf = token
    return token


def ensure_csrf_cookie(request: Request, response: Response) -> None:
    new = getattr(request.state, "new_csrf", None)
    if new and not request.cookies.get(CSRF_COOKIE):
        response.set_cookie(CSRF_COOKIE, new, httponly=True, samesite="strict")


def same_origin(request: Request) -> bool:
    origin = request.headers.get("origin") or request.headers.get("referer")
    if not origin:
        return True  # non-browser clients; the CSRF token still has to match
    return urlsplit(origin).netloc == request.headers.get("host", "")


def check_csrf(request: Request, submitted: str | None) -> bool:
    cookie = request.cookies.get(CSRF_COOKIE)
    return bool(
        cookie and submitted and hmac.compare_digest(cookie, submitted) and same_origin(request)
    )


def token_gate(request: Request, token: str | None) -> Response | None:
    """None when the request may go on; else the response that stops it."""
    if not token:
        return None
    presented = request.cookies.get(TOKEN_COOKIE)
    bearer = request.headers.get("authorization", "")
    if bearer.lower().startswith("bearer "):
        presented = bearer[7:]
    query = request.query_params.get("token")
    if query and hmac.compare_digest(query, token):
        target = request.url.remove_query_params("token")
        response = RedirectResponse(
            str(target.path) + (f"?{target.query}" if target.query else ""), status_code=303
        )
        response.set_cookie(TOKEN_COOKIE, token, httponly=True, samesite="strict")
        return response
    if presented and hmac.compare_digest(presented, token):
        return None
    return PlainTextResponse(
        "this review server needs its access token: open the link with ?token=… once",
        status_code=401,
    )
