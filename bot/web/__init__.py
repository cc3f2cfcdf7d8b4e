"""The bot's one web server: the Telegram webhook, health and readiness, metrics, and later routes beside them.

`server.py` builds the aiohttp application from the route groups listed in `ROUTE_GROUPS` (one module each:
`telegram.py`, `health.py`, `metrics.py`) and runs it; every route reads the `WebContext` (`context.py`) the
composition root hands in.
"""
