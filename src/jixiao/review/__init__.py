"""The review web UI: a queue of flagged values, evidence in the source, an audit trail."""

from __future__ import annotations

from jixiao.review.app import create_app

__all__ = ["create_app", "serve"]


def serve(*, db: str, host: str = "127.0.0.1", port: int = 8765, token: str | None = None) -> None:
    """Run the review server (blocking). Loopback by default; `token` for shared use."""
    import uvicorn

    if host not in ("127.0.0.1", "localhost", "::1") and not token:
        from jixiao.errors import ConfigError

        raise ConfigError(
            f"refusing to listen on {host} without --token: anyone on the network could edit "
            "the store; pass --token SECRET (or JIXIAO_REVIEW_TOKEN)"
        )
    uvicorn.run(create_app(db, token=token), host=host, port=port, log_level="warning")
