"""`python -m bot.midtrans_sandbox --port N --server-key K`: a Midtrans sandbox for humans, until Ctrl-C."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
import sys
from datetime import timedelta

from bot.midtrans_sandbox.server import DEFAULT_SERVER_KEY, MidtransSandbox

_LOOPBACK = ("127.0.0.1", "::1", "localhost")


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    """Reads the command line."""
    parser = argparse.ArgumentParser(prog="python -m bot.midtrans_sandbox", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (keep it loopback)")
    parser.add_argument("--port", type=int, default=0, help="port (0: a free one)")
    parser.add_argument("--server-key", default=DEFAULT_SERVER_KEY, help="the key the bot must send")
    parser.add_argument("--notification-url", default=None,
                        help="where notifications go when a charge has no X-Override-Notification")
    parser.add_argument("--expiry-minutes", type=float, default=15.0, help="expiry without custom_expiry")
    return parser.parse_args(argv)


async def serve(args: argparse.Namespace) -> None:
    """Runs the sandbox and prints its base URL until cancelled."""
    sandbox = MidtransSandbox(args.server_key, host=args.host, port=args.port,
                              notification_url=args.notification_url,
                              default_expiry=timedelta(minutes=args.expiry_minutes))
    if args.host not in _LOOPBACK:
        print(f"warning: the control routes under /_sandbox/ need no key and {args.host} is not loopback",
              file=sys.stderr, flush=True)
    async with sandbox:
        print(f"MIDTRANS_API_BASE_URL={sandbox.base_url}", flush=True)
        print(f"control: POST {sandbox.base_url}/_sandbox/pay/ORDER_ID (Ctrl-C stops)", flush=True)
        stop = asyncio.Event()
        # SIGTERM (a supervisor, a test) stops as cleanly as Ctrl-C does.
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
        await stop.wait()


def main(argv: list[str] | None = None) -> None:
    """Entry point."""
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(_arguments(argv)))


if __name__ == "__main__":
    main()
