"""The review UI's routes (pages and their JSON twins), on one APIRouter.

Listing, filtering, sorting and counting happen in the database (`store.listing`);
a page loads at most the one record it shows. Decisions go through `decisions.py`.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any
from urllib.parse import quote, unquote, urlencode

from fastapi import APIRouter, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse, RedirectResponse, Response

from jixiao.errors import JixiaoError
from jixiao.models import Flag, Record
from jixiao.review.decisions import (
    Decision,
    DecisionError,
    TargetConflict,
    bulk_accept,
    decide,
    in_force,
    target_key,
    target_versions,
)
from jixiao.review.fixtures import save_as_fixture
from jixiao.review.pages import PAGE_FORMATS, PageUnavailable, cached_page, find_source, page_sizes
from jixiao.review.security import check_csrf, same_origin
from jixiao.review.values import InputRefused
from jixiao.store.listing import (
    REVIEW_STATES,
    SORTS,
    Filters,
    batch_counts,
    count_open,
    facet_values,
    list_documents,
    open_flags,
    reviewer_summary,
)
from jixiao.store.rows import flag_confidence

router = APIRouter()
_CONTROL = re.compile(r"[\x00-\x1f\x7f\ufffd]")
REVIEWER_COOKIE = "jixiao_reviewer"
SEVERITIES = ("error", "warning", "info")
#: most flags one bulk accept takes (the confirmation page says so when there are more)
BULK_LIMIT = 20_000
#: largest form field read (Starlette's default, 1 MB, answered an overlong comment with
#: a bare error and lost it; the decision code refuses long texts with a reason instead)
FORM_FIELD_MAX = 16 * 1024 * 1024


# -- helpers ------------------------------------------------------------------------


def _ctx(request: Request) -> Any:
    return request.app.state.review


def _int(value: Any, default: int | None = None) -> int | None:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return default
    return number if abs(number) < 2**31 else default


def _float(value: Any) -> float | None:
    try:
        number = float(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def filters_of(params: Any) -> Filters:
    """Filters from query parameters or form fields; values that make no sense are
    ignored rather than refused, so a hand-edited URL still shows a page."""

    def text(name: str) -> str | None:
        value = _CONTROL.sub("", params.get(name) or "").strip()
        return value[:200] or None

    state = text("state")
    severity = text("severity")
    return Filters(
        check=text("check"),
        severity=severity if severity in SEVERITIES else None,
        max_confidence=_float(params.get("max_confidence")),
        state=state if state in REVIEW_STATES else None,
        department=text("department"),
        year=_int(params.get("year")),
        kind=text("kind"),
        reviewed_by=text("reviewed_by"),
        document=_int(params.get("document")),
    )


def _query(filters: Filters, **extra: Any) -> str:
    values = {**filters.as_query(), **{k: v for k, v in extra.items() if v not in (None, "")}}
    return urlencode(values)


def _with_query(path: str, query: str) -> str:
    return f"{path}?{query}" if query else path


def _safe_next(target: str | None, fallback: str) -> str:
    """Only same-site relative paths: a POST must never redirect elsewhere."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return fallback


def _reviewer(request: Request, typed: str | None = None) -> str:
    """The authenticated reviewer, else the name typed (or remembered in a cookie)."""
    if request.state.reviewer:
        return request.state.reviewer
    if typed is not None:
        return typed
    return unquote(request.cookies.get(REVIEWER_COOKIE, ""))


def _load(request: Request, doc_id: int) -> Any:
    try:
        stored = _ctx(request).store.get_document(doc_id)
    except JixiaoError:
        return None
    return stored if stored.record is not None else None


def _summary(stored: Any) -> dict[str, Any]:
    record: Record = stored.record
    decided = sum(1 for f in record.flags if f.status != "open")
    return {
        "id": stored.id,
        "path": stored.path,
        "department": record.department.name,
        "fiscal_year": record.fiscal_year,
        "document_kind": record.document_kind,
        "facts": len(record.facts),
        "indicators": len(record.indicators),
        "flags": len(record.flags),
        "open": len(record.flags) - decided,
        "decided": decided,
        "version": stored.version,
    }


def _flag_matches(flag: Flag, filters: Filters, confidence: dict[str, float]) -> bool:
    if flag.status != "open":
        return False
    if filters.check and flag.check != filters.check:
        return False
    if filters.severity and flag.severity != filters.severity:
        return False
    if filters.max_confidence is not None:
        low = flag_confidence(flag, confidence)
        return low is not None and low <= filters.max_confidence
    return True


def _page_view(request: Request, stored: Any) -> dict[str, Any] | None:
    """What the page viewer needs: page sizes in points, or None without a source file."""
    if stored.format not in PAGE_FORMATS:
        return None
    source = _source_file(request, stored)
    if source is None:
        return {"available": False}
    try:
        sizes = page_sizes(source, stored.format)
    except Exception:  # a file that cannot be read draws no page; the text still shows
        return {"available": False}
    return {"available": True, "sizes": sizes, "count": len(sizes)}


def _source_file(request: Request, stored: Any) -> Any:
    from jixiao.store import tables

    store = _ctx(request).store
    d = tables.documents
    with store.listing() as conn:
        source_file = conn.execute(
            d.select().with_only_columns(d.c.source_file).where(d.c.id == stored.id)
        ).scalar_one_or_none()
    return find_source(source_file, stored.path, stored.sha256, _ctx(request).sources)


def _spans(record: Record, flag: Flag) -> str:
    facts = {f.id: f for f in record.facts}
    rows = {r.id: r for r in record.indicators}
    spans = [f"{facts[i].evidence.start}-{facts[i].evidence.end}" for i in flag.facts if i in facts]
    for i in flag.indicators:
        evidence = rows[i].evidence if i in rows else None
        if evidence is not None:
            spans.append(f"{evidence.start}-{evidence.end}")
    return ";".join(spans)


def _value_labels(t: Any, check: str) -> tuple[str, str]:
    """What a flag's `expected` and `actual` are, per check: the verifier's convention
    is the stated figure first for arithmetic, the expected one first for the rest."""
    kinds = {
        "magnitude": ("value_should", "value_stated"),
        "year": ("value_should", "value_stated"),
        "function_code": ("value_should", "value_stated"),
        "range": ("value_bound", "value_stated"),
        "grounding": ("value_printed", "value_read"),
    }.get(check, ("value_stated", "value_computed"))
    return t(kinds[0]), t(kinds[1])


# -- overview -----------------------------------------------------------------------


def _overview_data(request: Request) -> dict[str, Any]:
    params = request.query_params
    filters = filters_of(params)
    sort = params.get("sort") or "id"
    sort = sort if sort in SORTS else "id"
    descending = params.get("desc") in ("1", "on", "true")
    page = max(_int(params.get("page"), 1) or 1, 1)
    per_page = min(max(_int(params.get("per_page"), 50) or 50, 1), 500)
    with _ctx(request).store.listing() as conn:
        documents, total = list_documents(
            conn, filters, sort=sort, descending=descending, page=page, per_page=per_page
        )
        counts = batch_counts(conn, filters)
        open_matching = count_open(conn, filters)
    return {
        "filters": filters,
        "sort": sort,
        "descending": descending,
        "page": page,
        "per_page": per_page,
        "pages": max(1, math.ceil(total / per_page)),
        "total": total,
        "documents": documents,
        "counts": counts,
        "open_matching": open_matching,
    }


@router.get("/")
def overview(request: Request) -> Response:
    data = _overview_data(request)
    with _ctx(request).store.listing() as conn:
        facets = facet_values(conn)
    filters: Filters = data["filters"]
    return _ctx(request).render(
        request,
        "overview.html",
        **data,
        facets=facets,
        states=REVIEW_STATES,
        severities=SEVERITIES,
        sorts=SORTS,
        query=_query(filters),
        page_query=lambda n: _query(
            filters,
            sort=data["sort"],
            desc="1" if data["descending"] else None,
            per_page=data["per_page"],
            page=n,
        ),
        check_query=lambda check: _query(
            Filters(**{**filters.as_query(), "check": check}), sort=data["sort"]
        ),
    )


def _json_row(row: dict[str, Any]) -> dict[str, Any]:
    out = dict(row)
    out["updated_at"] = row["updated_at"].isoformat() if row.get("updated_at") else None
    return out


@router.get("/api/documents")
def api_documents(request: Request) -> JSONResponse:
    """One page of documents (summary rows) with the batch's counts under the filters."""
    data = _overview_data(request)
    return JSONResponse(
        {
            "total": data["total"],
            "page": data["page"],
            "per_page": data["per_page"],
            "pages": data["pages"],
            "sort": data["sort"],
            "descending": data["descending"],
            "filters": data["filters"].as_query(),
            "counts": data["counts"],
            "open_matching": data["open_matching"],
            "documents": [_json_row(r) for r in data["documents"]],
        }
    )


@router.get("/api/queue")
def api_queue(request: Request) -> JSONResponse:
    """The filtered queue of open flags, in order, paginated."""
    params = request.query_params
    filters = filters_of(params)
    page = max(_int(params.get("page"), 1) or 1, 1)
    per_page = min(max(_int(params.get("per_page"), 50) or 50, 1), 500)
    with _ctx(request).store.listing() as conn:
        flags = open_flags(conn, filters, limit=per_page, offset=(page - 1) * per_page)
        total = count_open(conn, filters)
    return JSONResponse(
        {"total": total, "page": page, "per_page": per_page, "flags": flags},
    )


@router.get("/reviewers")
def reviewers(request: Request) -> Response:
    with _ctx(request).store.listing() as conn:
        people = reviewer_summary(conn)
    return _ctx(request).render(request, "reviewers.html", people=people)


@router.get("/api/reviewers")
def api_reviewers(request: Request) -> JSONResponse:
    with _ctx(request).store.listing() as conn:
        people = reviewer_summary(conn)
    for person in people:
        person["first"] = person["first"].isoformat() if person["first"] else None
        person["last"] = person["last"].isoformat() if person["last"] else None
    return JSONResponse(people)


# -- one document -------------------------------------------------------------------


@router.get("/doc/{doc_id}")
def document(request: Request, doc_id: int) -> Response:
    ctx = _ctx(request)
    stored = _load(request, doc_id)
    if stored is None:
        return ctx.error(request, 404, "error_no_document", id=doc_id)
    record: Record = stored.record
    decisions = ctx.store.decisions(doc_id)
    return ctx.render(
        request,
        "document.html",
        doc=_summary(stored),
        record=record,
        text=ctx.store.document_text(doc_id),
        decisions=decisions,
        in_force=in_force(ctx.store, doc_id),
        versions=target_versions(ctx.store, doc_id),
        me=_reviewer(request),
        spans=lambda flag: _spans(record, flag),
        target_key=target_key,
        pages=_page_view(request, stored),
    )


@router.get("/api/doc/{doc_id}")
def api_document(request: Request, doc_id: int) -> Response:
    stored = _load(request, doc_id)
    if stored is None:
        return _ctx(request).error(request, 404, "error_no_document", id=doc_id)
    return Response(stored.record.model_dump_json(), media_type="application/json")


@router.get("/api/doc/{doc_id}/review")
def api_review_state(request: Request, doc_id: int) -> Response:
    """Per-target versions, the decisions in force and the audit trail of a document."""
    ctx = _ctx(request)
    stored = _load(request, doc_id)
    if stored is None:
        return ctx.error(request, 404, "error_no_document", id=doc_id)
    decisions = ctx.store.decisions(doc_id)
    return JSONResponse(
        {
            "document": _summary(stored),
            "versions": target_versions(ctx.store, doc_id),
            "in_force": in_force(ctx.store, doc_id),
            "decisions": decisions,
        }
    )


@router.get("/doc/{doc_id}/page/{page}.png")
def page_image(request: Request, doc_id: int, page: int) -> Response:
    ctx = _ctx(request)
    stored = _load(request, doc_id)
    if stored is None or stored.format not in PAGE_FORMATS:
        return ctx.error(request, 404, "error_no_document", id=doc_id)
    source = _source_file(request, stored)
    if source is None:
        return ctx.error(request, 404, "page_unavailable")
    stat = source.stat()
    try:
        png = cached_page(str(source), page, stat.st_size, stat.st_mtime, stored.format)
    except PageUnavailable as exc:
        return ctx.error(request, 404, "error_bad_request", detail=str(exc))
    return Response(png, media_type="image/png", headers={"Cache-Control": "private, max-age=600"})


# -- the queue ----------------------------------------------------------------------


@router.get("/queue")
def global_queue(request: Request) -> Response:
    """The first open flag matching the filters (after document `after`, if given)."""
    filters = filters_of(request.query_params)
    after = _int(request.query_params.get("after"))
    with _ctx(request).store.listing() as conn:
        first = open_flags(
            conn, filters, after=(after, 2**31 - 1) if after is not None else None, limit=1
        )
    if first:
        target = _with_query(f"/doc/{first[0]['document_id']}/queue", _query(filters))
        return RedirectResponse(target, status_code=303)
    return _ctx(request).render(
        request, "queue_done.html", doc=None, skipped=0, query=_query(filters)
    )


@router.get("/doc/{doc_id}/queue")
def queue(request: Request, doc_id: int, skip: str = "", last: str = "") -> Response:
    return queue_page(request, doc_id, filters_of(request.query_params), skip, last)


def queue_page(
    request: Request,
    doc_id: int,
    filters: Filters,
    skip: str,
    last: str,
    *,
    status: int = 200,
    error: str | None = None,
    conflict: list[dict] | None = None,
    typed: dict[str, str] | None = None,
    focus: str | None = None,
) -> Response:
    """The queue card of the next open flag (or of flag `focus`, decided or not: the
    one a refused decision was about, shown again with what the reviewer typed)."""
    ctx = _ctx(request)
    stored = _load(request, doc_id)
    if stored is None:
        return ctx.error(request, 404, "error_no_document", id=doc_id)
    record: Record = stored.record
    skipped = {s for s in skip.split("|") if s}
    confidence = {f.id: f.confidence for f in record.facts}
    flag = next((f for f in record.flags if focus and f.key == focus), None) or next(
        (f for f in record.flags if f.key not in skipped and _flag_matches(f, filters, confidence)),
        None,
    )
    query = _query(filters)
    if flag is None:
        return ctx.render(
            request,
            "queue_done.html",
            status=status,
            doc=_summary(stored),
            skipped=len(skipped),
            query=query,
            last=last,
            me=_reviewer(request),
        )
    facts = {f.id: f for f in record.facts}
    rows = {r.id: r for r in record.indicators}
    with ctx.store.listing() as conn:
        remaining = count_open(conn, filters)
    expected_label, actual_label = _value_labels(translator_of(request), flag.check)
    return ctx.render(
        request,
        "queue.html",
        status=status,
        doc=_summary(stored),
        flag=flag,
        key=flag.key,
        flag_confidence=flag_confidence(flag, confidence),
        facts=[facts[i] for i in flag.facts if i in facts],
        rows=[rows[i] for i in flag.indicators if i in rows],
        text=ctx.store.document_text(doc_id),
        spans=_spans(record, flag),
        skip=skip,
        last=last,
        filters=filters,
        query=query,
        remaining=remaining,
        versions=target_versions(ctx.store, doc_id),
        target_key=target_key,
        pages=_page_view(request, stored),
        expected_label=expected_label,
        actual_label=actual_label,
        error=error,
        conflict=conflict,
        typed=typed or {},
        me=_reviewer(request),
    )


def translator_of(request: Request) -> Any:
    from jixiao.review.i18n import translator

    return translator(request.state.lang)


def _version_of(versions: str, key: str) -> int | None:
    """The version a page showed for `key`, from its `kind:id=version;…` field."""
    for part in versions.split(";"):
        name, _, number = part.rpartition("=")
        if name == key:
            return _int(number)
    return None


@router.post("/doc/{doc_id}/decide")
async def decide_route(request: Request, doc_id: int) -> Response:
    ctx = _ctx(request)
    form = await request.form(max_part_size=FORM_FIELD_MAX)
    field = {k: v for k, v in form.items() if isinstance(v, str)}
    if not check_csrf(request, field.get("csrf")):
        return ctx.error(request, 403, "error_csrf")
    filters = filters_of(field)
    skip, action = field.get("skip", ""), field.get("action", "")
    kind, target = field.get("target_kind", ""), field.get("target_id", "")
    query = _query(filters)
    fallback = f"/doc/{doc_id}/queue"
    if action == "skip":
        skipped = "|".join(s for s in (skip, target) if s)
        return RedirectResponse(_with_query(fallback, _query(filters, skip=skipped)), 303)
    flag_key = target if kind == "flag" else None
    if action == "correct":
        kind, _, target = field.get("correct_target", "").partition(":")
    typed = {
        "reviewer": field.get("reviewer", ""),
        "new_value": field.get("new_value", ""),
        "comment": field.get("comment", ""),
        "correct_target": field.get("correct_target", ""),
    }
    reviewer = _reviewer(request, field.get("reviewer"))
    decision = Decision(
        target_kind=kind,  # type: ignore[arg-type]
        target_id=target,
        action=action,  # type: ignore[arg-type]
        reviewer=reviewer,
        new_value=field.get("new_value") or None,
        comment=field.get("comment") or None,
        expected_version=_version_of(field.get("versions", ""), target_key(kind, target)),
        flag_key=flag_key,
        flag_version=_version_of(field.get("versions", ""), target_key("flag", flag_key or "")),
    )
    back_to_document = field.get("next", "").startswith(f"/doc/{doc_id}") and not field.get(
        "next", ""
    ).startswith(fallback)
    try:
        decide(ctx.store, doc_id, decision)
    except TargetConflict as exc:
        return queue_page(
            request,
            doc_id,
            filters,
            skip,
            "",
            status=409,
            conflict=exc.changes,
            typed=typed,
            focus=flag_key,
        )
    except InputRefused as exc:
        message = translator_of(request)(exc.key, **exc.params)
        if back_to_document:
            return ctx.render(request, "error.html", status=400, message=message)
        return queue_page(
            request,
            doc_id,
            filters,
            skip,
            "",
            status=400,
            error=message,
            typed=typed,
            focus=flag_key,
        )
    except JixiaoError as exc:  # the document is gone or failed
        return ctx.render(request, "error.html", status=404, message=str(exc))
    last = target_key(kind, target) if action != "undo" else ""
    target_url = _safe_next(
        field.get("next"), _with_query(fallback, _query(filters, skip=skip, last=last))
    )
    response = RedirectResponse(target_url, status_code=303)
    if not request.state.reviewer and reviewer.strip():
        response.set_cookie(REVIEWER_COOKIE, quote(reviewer.strip()), samesite="strict")
    del query
    return response


#: largest JSON body of one API decision (a comment is refused past its own limit first)
API_BODY_MAX = 1024 * 1024
#: what one API decision may carry (`reviewer` only counts without reviewer accounts)
_API_FIELDS = {"target_kind", "target_id", "action", "new_value", "comment", "reviewer",
               "version", "flag_key", "flag_version"}  # fmt: skip


@router.post("/api/doc/{doc_id}/decisions")
async def api_decide(request: Request, doc_id: int) -> Response:
    """One decision as JSON, for scripts and other tools: the same checks, versions and
    audit row as the page's form, under the same token or reviewer account.

    Body: `{"target_kind": "fact"|"indicator"|"flag", "target_id": …, "action":
    "accept"|"correct"|"source_wrong"|"undo", "new_value": …, "comment": …, "version":
    the target's version the caller saw (optional: a conflict is refused with 409),
    "reviewer": a name (only without reviewer accounts)}`. Instead of the form's CSRF
    token, the body must be `application/json` (which a page on another site cannot send
    without a preflight this server never allows) and any Origin must be this server.
    """
    ctx = _ctx(request)
    if not same_origin(request):
        return ctx.error(request, 403, "error_cross_origin")
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    body = await request.body()
    try:
        data = json.loads(body) if content_type == "application/json" else None
    except ValueError:
        data = None
    if (
        len(body) > API_BODY_MAX
        or not isinstance(data, dict)
        or not set(data) <= _API_FIELDS
        or not all(isinstance(data.get(k), str) for k in ("target_kind", "target_id", "action"))
    ):
        return ctx.error(request, 400, "error_json_body")
    kind, target = data["target_kind"], data["target_id"]
    new_value = data.get("new_value")
    decision = Decision(
        target_kind=kind,
        target_id=target,
        action=data["action"],
        reviewer=_reviewer(request, str(data.get("reviewer") or "")),
        new_value=None if new_value is None else str(new_value),
        comment=None if data.get("comment") is None else str(data["comment"]),
        expected_version=_int(data.get("version")),
        flag_key=data.get("flag_key") if isinstance(data.get("flag_key"), str) else None,
        flag_version=_int(data.get("flag_version")),
    )
    try:
        applied = decide(ctx.store, doc_id, decision)
    except TargetConflict as exc:
        message = translator_of(request)("conflict_title")
        changes = jsonable_encoder(exc.changes)
        return JSONResponse({"error": message, "changes": changes}, status_code=409)
    except InputRefused as exc:
        message = translator_of(request)(exc.key, **exc.params)
        return JSONResponse({"error": message, "reason": exc.key}, status_code=400)
    except JixiaoError:  # no such document, or one that failed to process
        return ctx.error(request, 404, "error_no_document", id=doc_id)
    key = target_key(kind, target)
    return JSONResponse(
        {
            "decision_id": applied.decision_id,
            "document_version": applied.document_version,
            "target": key,
            "target_version": applied.target_version,
            "in_force": jsonable_encoder(in_force(ctx.store, doc_id).get(key)),
        },
        status_code=201,
    )


@router.post("/bulk/accept")
async def bulk_accept_route(request: Request) -> Response:
    """Two steps: the first POST shows the count to confirm, the second accepts."""
    ctx = _ctx(request)
    form = await request.form()
    field = {k: v for k, v in form.items() if isinstance(v, str)}
    if not check_csrf(request, field.get("csrf")):
        return ctx.error(request, 403, "error_csrf")
    filters = filters_of(field)
    reviewer = _reviewer(request, field.get("reviewer"))
    with ctx.store.listing() as conn:
        now = count_open(conn, filters)
    expected = _int(field.get("expected"))

    def confirm_page(status: int = 200, message: str | None = None) -> Response:
        return ctx.render(
            request,
            "bulk_confirm.html",
            status=status,
            filters=filters,
            n=min(now, BULK_LIMIT),
            message=message,
            me=reviewer,
            query=_query(filters),
        )

    if field.get("confirm") != "1" or expected is None:
        return confirm_page()
    try:
        accepted = bulk_accept(ctx.store, filters, reviewer, expected=expected, limit=BULK_LIMIT)
    except TargetConflict:
        t = translator_of(request)
        return confirm_page(409, t("bulk_changed", now=now, expected=expected))
    except DecisionError as exc:
        return confirm_page(400, translator_of(request)(exc.key, **exc.params))
    response = RedirectResponse(
        _with_query("/", _query(Filters(**{**filters.as_query()}), done=accepted)), 303
    )
    if not request.state.reviewer and reviewer.strip():
        response.set_cookie(REVIEWER_COOKIE, quote(reviewer.strip()), samesite="strict")
    return response


@router.post("/doc/{doc_id}/fixture")
async def fixture_route(request: Request, doc_id: int) -> Response:
    ctx = _ctx(request)
    form = await request.form()
    if not check_csrf(request, form.get("csrf")):  # type: ignore[arg-type]
        return ctx.error(request, 403, "error_csrf")
    stored = _load(request, doc_id)
    if stored is None:
        return ctx.error(request, 404, "error_no_document", id=doc_id)
    try:
        folder = save_as_fixture(stored.record, ctx.fixtures_dir, str(form.get("name") or ""))
    except InputRefused as exc:
        return ctx.render(
            request, "error.html", status=400, message=translator_of(request)(exc.key, **exc.params)
        )
    return ctx.render(request, "saved.html", doc=_summary(stored), folder=str(folder))
