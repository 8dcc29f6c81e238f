"""The review web UI: a queue of flagged values, evidence in the source, an audit trail."""

from __future__ import annotations

from pathlib import Path

from jixiao.review.app import create_app

__all__ = ["create_app", "serve"]

LOOPBACK = ("127.0.0.1", "localhost", "::1")


def serve(
    *,
    db: str,
    host: str = "127.0.0.1",
    port: int = 8765,
    token: str | None = None,
    users_file: Path | None = None,
    lang: str | None = None,
    allowed_hosts: tuple[str, ...] = (),
    sources: Path | None = None,
    echo=print,
) -> None:
    """Run the review server (blocking). Loopback by default; `token` or `users_file`
    for shared use. Says where it listens before it starts."""
    import uvicorn

    from jixiao.errors import ConfigError
    from jixiao.review.users import Users

    users = Users.load(users_file) if users_file else None
    if host not in LOOPBACK and not (token or users):
        raise ConfigError(
            f"refusing to listen on {host} without --token or --users: anyone on the network "
            "could edit the store; pass --token SECRET (or JIXIAO_REVIEW_TOKEN) or --users FILE"
        )
    app = create_app(
        db,
        token=token,
        users=users,
        lang=lang,
        host=host,
        extra_hosts=allowed_hosts,
        sources=sources,
    )
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{port}/"
    store = app.state.review.store
    echo(f"jixiao review: {url}  (store {store.url})")
    if users:
        echo(f"  {len(users)} reviewer account(s): each opens {url}?token=THEIR_TOKEN once")
    elif token:
        echo(f"  open {url}?token=… once with the access token")
    if host in ("0.0.0.0", "::") and not allowed_hosts:
        echo("  note: give --allowed-host NAME for each name reviewers use to reach this server")
    echo("  stop with Ctrl+C")
    uvicorn.run(app, host=host, port=port, log_level="warning")
