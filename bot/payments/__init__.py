"""Payment gateways over HTTP: the Midtrans client (`midtrans.py`), the notification signature (`signature.py`) and
getting a gateway's code to the buyer (`codes.py`). The domain sees only `models.services.gateway.PaymentGateway`.
"""
