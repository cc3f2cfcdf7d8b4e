"""The demo's storefront: the web server with the Mini App, and a local link signed for the demo buyer.

In Telegram the Mini App gets its signed initData from the app; on a desktop browser the page reads it from the
link's `#tgWebAppData=...`, which is how Telegram's own web clients pass it too. The link is signed with the
demo emulator's token, so the bot accepts it exactly as it would accept Telegram's.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from urllib.parse import quote

from bot.services import services_of
from bot.web.context import AnyApp, WebContext
from bot.web.miniapp.initdata import sign
from bot.web.server import PortUnavailable, WebServer

WEB_APP_VERSION = "8.0"


def demo_link(base: str, token: str, user_id: int, first_name: str, auth_date: int) -> str:
    """The storefront's address with initData for this user signed with `token` in its fragment."""
    user = {"id": user_id, "first_name": first_name, "language_code": "id"}
    init = sign({"query_id": "demo", "user": user, "auth_date": str(auth_date)}, token)
    return f"{base}/#tgWebAppData={quote(init, safe='')}&tgWebAppVersion={WEB_APP_VERSION}"


@asynccontextmanager
async def storefront(application: AnyApp, token: str, buyer: tuple[int, str]) -> AsyncIterator[str]:
    """Runs the web server (HTTP_PORT, or any free port when that one is taken) with MINIAPP_URL pointing at it,
    prints the buyer's signed link, and yields it."""
    services = services_of(application.bot_data)
    server = WebServer(WebContext(application, services, accepting=True))
    host, port = services.settings.http_address
    try:
        port = await server.start(host, port)
    except PortUnavailable as exc:
        port = await server.start(host, 0)
        print(f"({exc} The demo uses port {port} instead.)")
    shown = "127.0.0.1" if host in ("0.0.0.0", "", "::") else host
    base = f"http://{shown}:{port}/app"
    services.settings = services.settings.model_copy(update={"miniapp_url": base})
    link = demo_link(base, token, buyer[0], buyer[1], int(services.now().timestamp()))
    print(f"Toko (Mini App) untuk {buyer[1]}, buka di browser / open in a browser:\n{link}\n")
    try:
        yield link
    finally:
        await server.stop()
