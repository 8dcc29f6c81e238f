"""Protection for the review UI: allowed hosts, access tokens or reviewer accounts, CSRF
on every POST, and security headers — one middleware, installed by `create_app`.

Documents are untrusted input and reviewers often run the UI on a shared machine, so:
* the Host header must name this server (a loopback name, the address it listens on,
  or a name given with `--allowed-host`): a page on another site whose name is made
  to resolve to 127.0.0.1 (DNS rebinding) is refused before it reaches a route;
* with `--token`, every request presents it once (``?token=…``, which sets a cookie,
  or an ``Authorization: Bearer`` header); with `--users`, each reviewer's own token,
  and the decision is recorded under that reviewer's name;
* every POST carries the double-submit CSRF token (a SameSite=Strict cookie echoed in a
  form field) and, when the browser sends one, an Origin of this very server.
Templates autoescape everything; no route serves files outside the package.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Awaitable, Callable
from html import escape
from urllib.parse import urlsplit

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from jixiao.review.i18n import LANG_COOKIE, LANGUAGES, choose, translator
from jixiao.review.users import Users

CSRF_COOKIE = "jixiao_csrf"
TOKEN_COOKIE = "jixiao_token"
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")
HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
        "object-src 'none'; frame-ancestors 'none'; form-action 'self'"
    ),
}


def host_name(header: str) -> str:
    """The name in a Host header, without the port (IPv6 brackets removed)."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1 : header.find("]")] if "]" in header else header
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


def allowed_hosts(listen: str, extra: tuple[str, ...] = ()) -> frozenset[str]:
    """The names this server answers to: loopback, its own address, and `extra`."""
    names = set(LOOPBACK_NAMES) | {host_name(h) for h in extra if h}
    if listen not in ("0.0.0.0", "::", ""):
        names.add(host_name(listen) if not listen.count(":") > 1 else listen.lower())
    return frozenset(names)


def csrf_token(request: Request) -> str:
    """The token of this browser (set as a cookie by the middleware)."""
    token = request.cookies.get(CSRF_COOKIE) or getattr(request.state, "new_csrf", None)
    if token is None:
        token = secrets.token_urlsafe(24)
        request.state.new_csrf = token
    return token


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


def _presented_token(request: Request) -> str | None:
    bearer = request.headers.get("authorization", "")
    if bearer.lower().startswith("bearer "):
        return bearer[7:].strip()
    return request.cookies.get(TOKEN_COOKIE)


def _login_redirect(request: Request, token: str) -> Response:
    """Accept a `?token=` link once: set the cookie and drop the token from the URL."""
    target = request.url.remove_query_params("token")
    response = RedirectResponse(
        str(target.path) + (f"?{target.query}" if target.query else ""), status_code=303
    )
    response.set_cookie(TOKEN_COOKIE, token, httponly=True, samesite="strict")
    return response


def _refusal(request: Request, key: str, status: int, **params: str) -> Response:
    t = translator(request.state.lang)
    message = t(key, **params)
    if request.url.path.startswith("/api/"):
        from fastapi.responses import JSONResponse

        return JSONResponse({"error": message}, status_code=status)
    body = (
        f'<!doctype html><html lang="{"zh-CN" if request.state.lang == "zh" else "en"}">'
        f'<meta charset="utf-8"><title>{escape(t("app_title"))}</title>'
        f'<p id="error-message">{escape(message)}</p></html>'
    )
    return HTMLResponse(body, status_code=status)


def identify(
    request: Request, token: str | None, users: Users | None
) -> tuple[Response | None, str | None]:
    """(a response that stops the request, or None; the authenticated reviewer)."""
    query = request.query_params.get("token")
    if users is not None:
        if query and users.who(query):
            return _login_redirect(request, query), None
        name = users.who(_presented_token(request))
        if name is None:
            return _refusal(request, "error_token", 401), None
        return None, name
    if not token:
        return None, None
    if query and hmac.compare_digest(query, token):
        return _login_redirect(request, token), None
    presented = _presented_token(request)
    if presented and hmac.compare_digest(presented, token):
        return None, None
    return _refusal(request, "error_token", 401), None


def install_security(
    app: FastAPI,
    *,
    hosts: frozenset[str],
    token: str | None,
    users: Users | None,
    lang: str | None,
) -> None:
    """The middleware every request passes: host, language, identity; then headers."""

    @app.middleware("http")
    async def guard(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        query_lang = request.query_params.get("lang")
        request.state.lang = choose(
            query_lang,
            request.cookies.get(LANG_COOKIE),
            lang,
            request.headers.get("accept-language", ""),
        )
        request.state.reviewer = None
        response: Response | None
        host = host_name(request.headers.get("host", ""))
        if host not in hosts:
            response = _refusal(request, "error_host", 400, host=host)
        else:
            stop, request.state.reviewer = identify(request, token, users)
            response = stop if stop is not None else await call_next(request)
        new = getattr(request.state, "new_csrf", None)
        if new and not request.cookies.get(CSRF_COOKIE):
            response.set_cookie(CSRF_COOKIE, new, httponly=True, samesite="strict")
        if query_lang in LANGUAGES:
            response.set_cookie(LANG_COOKIE, query_lang, samesite="strict")
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        return response
