"""The review web app: `create_app` assembles the store, the templates, the security
middleware (`security.py`) and the routes (`routes.py`).

Pages: `/` (documents, filtered, sorted and paginated in the database, with counts of
open flags by check), `/doc/{id}` (source text and page image beside the extracted
values; selecting a value highlights its evidence), `/queue` and `/doc/{id}/queue`
(open flags one by one, keyboard driven, filtered like the overview), `/reviewers`.
Every page has a JSON twin under `/api/…` for scripts.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException

from jixiao.review.i18n import label, translator
from jixiao.review.security import allowed_hosts, csrf_token, install_security
from jixiao.review.users import Users
from jixiao.taxonomy import Taxonomy, load_taxonomy

HERE = Path(__file__).parent
log = logging.getLogger("jixiao.review")


@dataclass
class ReviewContext:
    """What every route needs: the store, settings and rendering."""

    store: Any
    taxonomy: Taxonomy
    templates: Jinja2Templates
    fixtures_dir: Path
    users: Users | None = None
    sources: Path | None = None
    page_cache: dict = field(default_factory=dict)

    def render(
        self, request: Request, name: str, status: int = 200, **context: Any
    ) -> HTMLResponse:
        lang = getattr(request.state, "lang", "zh")
        t = translator(lang)
        context.setdefault("csrf", csrf_token(request))
        context.update(
            t=t,
            lang=lang,
            reviewer=getattr(request.state, "reviewer", None),
            accounts=self.users is not None,
            label=lambda prefix, value: label(t, prefix, value),
        )
        return self.templates.TemplateResponse(request, name, context, status_code=status)

    def error(self, request: Request, status: int, key: str, **params: Any) -> Response:
        """An error as the page or JSON the request expects, in its language."""
        message = translator(getattr(request.state, "lang", "zh"))(key, **params)
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": message}, status_code=status)
        return self.render(request, "error.html", status=status, message=message)


def create_app(
    db: str,
    *,
    token: str | None = None,
    users: Users | None = None,
    fixtures_dir: Path | None = None,
    lang: str | None = None,
    host: str = "127.0.0.1",
    extra_hosts: tuple[str, ...] = (),
    sources: Path | None = None,
) -> FastAPI:
    """Build the app over the store at `db` (a SQLite file or SQLAlchemy URL)."""
    from jixiao.review.routes import router
    from jixiao.store import Store

    templates = Jinja2Templates(directory=str(HERE / "templates"))
    taxonomy = load_taxonomy()
    templates.env.globals["concept_label"] = taxonomy.label
    context = ReviewContext(
        store=Store(db),
        taxonomy=taxonomy,
        templates=templates,
        fixtures_dir=fixtures_dir or Path("eval/fixtures"),
        users=users,
        sources=sources,
    )
    app = FastAPI(title="jixiao review", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.review = context
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.include_router(router)
    install_security(
        app, hosts=allowed_hosts(host, extra_hosts), token=token, users=users, lang=lang
    )

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError) -> Response:
        fields = ", ".join(str(e.get("loc", ["?"])[-1]) for e in exc.errors())
        return context.error(request, 400, "error_bad_request", detail=fields)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        if exc.status_code == 404:
            return context.error(request, 404, "error_bad_request", detail=str(exc.detail))
        return context.error(request, exc.status_code, "error_bad_request", detail=str(exc.detail))

    @app.exception_handler(Exception)
    async def internal_error(request: Request, exc: Exception) -> Response:
        log.exception("review request %s failed", request.url.path)
        return context.error(request, 500, "error_internal")

    return app
