"""The review web app: FastAPI routes rendering Jinja2 templates, plus JSON twins.

Pages: `/` (documents, open flags by check, progress), `/doc/{id}` (source text beside
the extracted values; selecting a value highlights its evidence), `/doc/{id}/queue` and
`/queue` (open flags one by one, keyboard driven). Every page has a JSON twin under
`/api/…` for scripts.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from urllib.parse import quote, unquote

from fastapi import FastAPI, Form, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from jixiao.errors import JixiaoError, ReviewConflict
from jixiao.review.decisions import Decision, DecisionError, decide
from jixiao.review.fixtures import save_as_fixture
from jixiao.review.security import check_csrf, csrf_token, ensure_csrf_cookie, token_gate
from jixiao.taxonomy import load_taxonomy

HERE = Path(__file__).parent


def _safe_next(target: str | None, fallback: str) -> str:
    """Only same-site relative paths: a POST must never redirect elsewhere."""
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return fallback


def _doc_summary(stored) -> dict:
    record = stored.record
    open_flags = Counter(f.check for f in record.flags if f.status == "open")
    decided = sum(1 for f in record.flags if f.status != "open")
    return {
        "id": stored.id,
        "path": stored.path,
        "department": record.department.name,
        "fiscal_year": record.fiscal_year,
        "facts": len(record.facts),
        "indicators": len(record.indicators),
        "flags": len(record.flags),
        "open_flags": dict(open_flags),
        "open": sum(open_flags.values()),
        "decided": decided,
        "version": stored.version,
    }


def _next_open_flag(record, skip: set[str]):
    for flag in record.flags:
        if flag.status == "open" and flag.key not in skip:
            return flag
    return None


def create_app(db: str, *, token: str | None = None, fixtures_dir: Path | None = None) -> FastAPI:
    """Build the app over the store at `db` (a SQLite file or SQLAlchemy URL)."""
    from jixiao.store import Store

    store = Store(db)
    taxonomy = load_taxonomy()
    fixtures_dir = fixtures_dir or Path("eval/fixtures")
    app = FastAPI(title="jixiao review", docs_url=None, redoc_url=None, openapi_url=None)
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.globals["concept_label"] = taxonomy.label
    templates.env.filters["urldecode"] = unquote
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    @app.middleware("http")
    async def gate(request: Request, call_next):
        stop = token_gate(request, token)
        if stop is not None:
            return stop
        response = await call_next(request)
        ensure_csrf_cookie(request, response)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["Content-Security-Policy"] = (
            "default-src 'self'; script-src 'self'; style-src 'self'; object-src 'none'; "
            "frame-ancestors 'none'; form-action 'self'"
        )
        return response

    def render(request: Request, name: str, status: int = 200, **context) -> HTMLResponse:
        context.setdefault("csrf", csrf_token(request))
        return templates.TemplateResponse(request, name, context, status_code=status)

    def error_page(request: Request, message: str, status: int) -> HTMLResponse:
        return render(request, "error.html", status=status, message=message)

    def load(doc_id: int):
        try:
            return store.get_document(doc_id)
        except JixiaoError:
            return None

    @app.get("/", response_class=HTMLResponse)
    def overview(request: Request) -> HTMLResponse:
        docs = [_doc_summary(d) for d in store.iter_documents(status="ok")]
        failed = list(store.iter_documents(status="failed"))
        return render(request, "overview.html", docs=docs, failed=failed)

    @app.get("/api/documents")
    def api_documents() -> JSONResponse:
        return JSONResponse([_doc_summary(d) for d in store.iter_documents(status="ok")])

    @app.get("/doc/{doc_id}", response_class=HTMLResponse)
    def document(request: Request, doc_id: int) -> HTMLResponse:
        stored = load(doc_id)
        if stored is None:
            return error_page(request, f"no document {doc_id}", 404)
        return render(
            request,
            "document.html",
            doc=_doc_summary(stored),
            record=stored.record,
            text=store.document_text(doc_id),
            decisions=store.decisions(doc_id),
        )

    @app.get("/api/doc/{doc_id}")
    def api_document(doc_id: int) -> Response:
        stored = load(doc_id)
        if stored is None:
            return JSONResponse({"error": f"no document {doc_id}"}, status_code=404)
        return Response(stored.record.model_dump_json(), media_type="application/json")

    @app.get("/doc/{doc_id}/queue", response_class=HTMLResponse)
    def queue(request: Request, doc_id: int, skip: str = "") -> Response:
        stored = load(doc_id)
        if stored is None:
            return error_page(request, f"no document {doc_id}", 404)
        skipped = {s for s in skip.split("|") if s}
        flag = _next_open_flag(stored.record, skipped)
        if flag is None:
            return render(
                request, "queue_done.html", doc=_doc_summary(stored), skipped=len(skipped)
            )
        facts = {f.id: f for f in stored.record.facts}
        rows = {r.id: r for r in stored.record.indicators}
        return render(
            request,
            "queue.html",
            doc=_doc_summary(stored),
            flag=flag,
            key=flag.key,
            facts=[facts[i] for i in flag.facts if i in facts],
            rows=[rows[i] for i in flag.indicators if i in rows],
            text=store.document_text(doc_id),
            skip=skip,
        )

    @app.get("/queue")
    def global_queue(request: Request) -> Response:
        for stored in store.iter_documents(status="ok"):
            if any(f.status == "open" for f in stored.record.flags):
                return RedirectResponse(f"/doc/{stored.id}/queue", status_code=303)
        return render(request, "queue_done.html", doc=None, skipped=0)

    @app.post("/doc/{doc_id}/decide")
    def decide_route(
        request: Request,
        doc_id: int,
        csrf: str = Form(""),
        version: int = Form(...),
        target_kind: str = Form(...),
        target_id: str = Form(...),
        action: str = Form(...),
        reviewer: str = Form(""),
        new_value: str = Form(""),
        correct_target: str = Form(""),
        comment: str = Form(""),
        skip: str = Form(""),
        next: str = Form(""),
    ) -> Response:
        if not check_csrf(request, csrf):
            return error_page(request, "this form expired or came from another site: reload", 403)
        fallback = f"/doc/{doc_id}/queue"
        if action == "skip":
            skipped = "|".join(s for s in (skip, target_id) if s)
            return RedirectResponse(f"{fallback}?skip={quote(skipped)}", status_code=303)
        if action == "correct":
            target_kind, _, target_id = correct_target.partition(":")
        decision = Decision(
            target_kind=target_kind,  # type: ignore[arg-type]
            target_id=target_id,
            action=action,  # type: ignore[arg-type]
            new_value=new_value or None,  # type: ignore[arg-type]
            reviewer=reviewer,
            comment=comment or None,
        )
        try:
            decide(store, doc_id, decision, expected_version=version)
        except ReviewConflict as exc:
            return error_page(request, str(exc), 409)
        except DecisionError as exc:
            return error_page(request, str(exc), 400)
        target = _safe_next(next, fallback)
        if skip and target == fallback:
            target = f"{fallback}?skip={quote(skip)}"
        response = RedirectResponse(target, status_code=303)
        response.set_cookie("jixiao_reviewer", quote(reviewer.strip()), samesite="strict")
        return response

    @app.post("/doc/{doc_id}/fixture")
    def fixture_route(
        request: Request, doc_id: int, csrf: str = Form(""), name: str = Form(...)
    ) -> Response:
        if not check_csrf(request, csrf):
            return error_page(request, "this form expired or came from another site: reload", 403)
        stored = load(doc_id)
        if stored is None:
            return error_page(request, f"no document {doc_id}", 404)
        try:
            folder = save_as_fixture(stored.record, fixtures_dir, name)
        except JixiaoError as exc:
            return error_page(request, str(exc), 400)
        return render(request, "saved.html", doc=_doc_summary(stored), folder=str(folder))

    return app
