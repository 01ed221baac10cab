"""Who is acting, and from where: set per request by the middleware, per command by the CLI."""

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    user_id: int | None
    username: str
    address: str | None


_current: ContextVar[Actor | None] = ContextVar("zhaoshang_actor", default=None)


def current_actor() -> Actor | None:
    return _current.get()


def set_actor(actor: Actor | None):
    return _current.set(actor)


def reset_actor(token) -> None:
    _current.reset(token)
