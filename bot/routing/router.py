"""The registry of every command, button, deep link and conversation step, and who may reach each.

Handler modules declare their routes on a module-level `Router` with decorators; the composition root
(`bot/app.py`) includes them into one router, which refuses a route declared twice. Every handler has the same
signature, `async def handler(update, context: BotContext) -> None`; a button handler reads its arguments from
`context.press`, a step handler the stored step data from `context.step_data`.

Audiences: a handler is for buyers unless marked `@staff_only` or `@manager_only`. A command may have one
handler per audience (a manager's /katalog lists the catalogue for editing, a buyer's browses it); the most
privileged one the sender qualifies for answers. A privileged command reached by someone below it is refused
politely ("khusus petugas"), except the ones declared `quiet_for_buyers`, which a buyer sees as an unknown command.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from telegram import Update

from bot.routing.actions import Action, Audience, Step
from bot.routing.context import BotContext

Handler = Callable[[Update, BotContext], Awaitable[None]]
H = TypeVar("H", bound=Handler)


_AUDIENCE_ATTR = "_karya_audience"


def staff_only(handler: H) -> H:
    """Marks a handler for staff, managers and admins; anyone else is refused before it runs."""
    setattr(handler, _AUDIENCE_ATTR, Audience.STAFF)
    return handler


def manager_only(handler: H) -> H:
    """Marks a handler for managers and admins; anyone else is refused before it runs."""
    setattr(handler, _AUDIENCE_ATTR, Audience.MANAGER)
    return handler


def audience_of(handler: Handler) -> Audience:
    """The audience a handler was marked for (buyers by default)."""
    found = getattr(handler, _AUDIENCE_ATTR, Audience.BUYER)
    return found if isinstance(found, Audience) else Audience.BUYER


@dataclass(frozen=True)
class Route:
    """One way in: the handler, who it is for, and whether it answers only in private chats."""

    handler: Handler
    audience: Audience
    private_only: bool = False
    quiet_for_buyers: bool = False

    @property
    def name(self) -> str:
        """The handler's qualified name (for logs)."""
        return f"{self.handler.__module__}.{self.handler.__qualname__}"


class Router:
    """Commands, buttons, deep links and steps, each declared once."""

    def __init__(self) -> None:
        self.commands: dict[str, list[Route]] = {}
        self.buttons: dict[Action, Route] = {}
        self.deep_links: dict[str, Route] = {}
        self.steps: dict[Step, Route] = {}
        self.idle: Route | None = None
        self.document: Route | None = None

    def command(
        self, *names: str, private_only: bool = False, quiet_for_buyers: bool = False
    ) -> Callable[[H], H]:
        """Declares the handler of one or more commands (`/katalog`)."""

        def declare(handler: H) -> H:
            route = Route(handler, audience_of(handler), private_only, quiet_for_buyers)
            for name in names:
                self._add_command(name, route)
            return handler

        return declare

    def button(self, *actions: Action) -> Callable[[H], H]:
        """Declares the handler of one or more button actions."""

        def declare(handler: H) -> H:
            for action in actions:
                _put(self.buttons, action, Route(handler, audience_of(handler)))
            return handler

        return declare

    def deep_link(self, prefix: str, *, private_only: bool = False) -> Callable[[H], H]:
        """Declares the handler of `/start <prefix>...` payloads (`p_SKU`, `o_CODE`, `inv_TOKEN`)."""

        def declare(handler: H) -> H:
            _put(self.deep_links, prefix, Route(handler, audience_of(handler), private_only))
            return handler

        return declare

    def step(self, *steps: Step) -> Callable[[H], H]:
        """Declares the handler of free input (text, contact, photo...) while a chat is at one of these steps."""

        def declare(handler: H) -> H:
            for step in steps:
                _put(self.steps, step, Route(handler, audience_of(handler), private_only=True))
            return handler

        return declare

    def on_idle(self, handler: H) -> H:
        """Declares what answers free input when no step is waiting."""
        if self.idle is not None:
            raise RuntimeError(f"idle input already answered by {self.idle.name}")
        self.idle = Route(handler, audience_of(handler), private_only=True)
        return handler

    def on_document(self, handler: H) -> H:
        """Declares what takes a file sent in a private chat when no step is waiting, for the handler's audience
        (staff send statements); anyone below it, and every other file, goes to the idle handler."""
        if self.document is not None:
            raise RuntimeError(f"files already taken by {self.document.name}")
        self.document = Route(handler, audience_of(handler), private_only=True)
        return handler

    def include(self, *others: Router) -> Router:
        """Adds the routes of other routers to this one (a route declared twice is a programming error)."""
        for other in others:
            for name, routes in other.commands.items():
                for route in routes:
                    self._add_command(name, route)
            for action, route in other.buttons.items():
                _put(self.buttons, action, route)
            for prefix, route in other.deep_links.items():
                _put(self.deep_links, prefix, route)
            for step, route in other.steps.items():
                _put(self.steps, step, route)
            if other.idle is not None:
                self.on_idle(other.idle.handler)
            if other.document is not None:
                self.on_document(other.document.handler)
        return self

    def _add_command(self, name: str, route: Route) -> None:
        """Adds one audience's handler of a command."""
        routes = self.commands.setdefault(name, [])
        if any(r.audience is route.audience for r in routes):
            raise RuntimeError(f"/{name} declared twice for {route.audience.name}")
        routes.append(route)
        routes.sort(key=lambda r: r.audience, reverse=True)  # the most privileged first

    def command_for(self, name: str, qualifies: Callable[[Audience], bool]) -> tuple[Route | None, Route | None]:
        """(the handler that answers this sender, the privileged one they were refused), either may be None."""
        routes = self.commands.get(name, [])
        for route in routes:
            if qualifies(route.audience):
                return route, None
        refused = next((r for r in reversed(routes) if not r.quiet_for_buyers), None)
        return None, refused


def _put(table: dict[Any, Route], key: Any, route: Route) -> None:
    """Adds a route, refusing a key declared twice with another handler."""
    found = table.get(key)
    if found is not None and found.handler is not route.handler:
        raise RuntimeError(f"{key!r} declared twice: {found.name} and {route.name}")
    table[key] = route
