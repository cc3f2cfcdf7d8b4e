"""A local stand-in for Midtrans' Core API (QRIS): charge, status, cancel, expire and signed notifications.

Typical pytest use (asyncio_mode=auto)::

    async with running_sandbox(server_key="SB-Mid-server-TEST", clock=clock) as sandbox:
        # the bot's client: MIDTRANS_API_BASE_URL=sandbox.base_url, MIDTRANS_SERVER_KEY=sandbox.server_key
        ...charge "KB7K3QXM" with X-Override-Notification: http://127.0.0.1:PORT/payments/midtrans...
        sandbox.pay("KB7K3QXM")              # the buyer pays: settlement, notified
        await sandbox.idle()                 # every due notification has been attempted
        assert sandbox.deliveries[-1].status == 200

Faults: `sandbox.faults.api.server_errors(n)`, `.slow(n)` (a gate), `sandbox.faults.notifications.duplicate()`,
`.delay()` (until `sandbox.release()`), `.reorder(n)`, `.lose()`, `.forge(kind)`. The same over HTTP under
`/_sandbox/` (control.py), and `python -m bot.midtrans_sandbox --port N --server-key K` for humans.

Modules: server (lifecycle, the Python control API), api (the Core API routes), charge (request checks),
transactions (state), wire (JSON bodies and the signature), notifier (delivery and its log), faults,
control (HTTP control), merchant (the sandbox merchant's QRIS).
"""

from bot.midtrans_sandbox.api import ApiCall
from bot.midtrans_sandbox.errors import ControlError, MidtransError
from bot.midtrans_sandbox.faults import Faults, FaultStats
from bot.midtrans_sandbox.merchant import MERCHANT_NAME, STATIC_QRIS
from bot.midtrans_sandbox.notifier import Delivery, Notification
from bot.midtrans_sandbox.server import DEFAULT_SERVER_KEY, MidtransSandbox, running_sandbox
from bot.midtrans_sandbox.transactions import STATUS_CODES, Transaction
from bot.midtrans_sandbox.wire import FORGERIES, signature

__all__ = [
    "DEFAULT_SERVER_KEY",
    "FORGERIES",
    "MERCHANT_NAME",
    "STATIC_QRIS",
    "STATUS_CODES",
    "ApiCall",
    "ControlError",
    "Delivery",
    "FaultStats",
    "Faults",
    "MidtransError",
    "MidtransSandbox",
    "Notification",
    "Transaction",
    "running_sandbox",
    "signature",
]
