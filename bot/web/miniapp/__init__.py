"""The storefront Mini App: its page (`static/`), product photo variants and its JSON API under /app.

`routes.py` lists every route; `initdata.py` checks Telegram's signature on each API call; `calls.py` wraps each
API route in authentication, the flood gate and one unit of work; `views.py` renders the JSON.
"""
