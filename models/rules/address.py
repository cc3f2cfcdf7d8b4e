"""What a delivery address must say: enough to find the place, with the kecamatan and the kota or kabupaten.

The paving yard delivers around Medan; an address without its kecamatan and city cannot be routed by the driver.
"""

from __future__ import annotations

import enum
import re

ADDRESS_MIN, ADDRESS_MAX = 15, 300
_KECAMATAN = re.compile(r"\bkec(amatan)?\b", re.IGNORECASE)
_KOTA = re.compile(
    r"\b(kota|kab|kabupaten|medan|binjai|deli\s+serdang|langkat|serdang\s+bedagai|tebing\s+tinggi)\b", re.IGNORECASE
)


class AddressProblem(enum.Enum):
    """Why a typed address will not do."""

    TOO_SHORT = "too_short"
    TOO_LONG = "too_long"
    NO_AREA = "no_area"


def clean_address(text: str) -> str:
    """The address on one line with single spaces."""
    return " ".join(text.split())


def address_problem(address: str) -> AddressProblem | None:
    """What is wrong with a (cleaned) address, or None when it will do."""
    if len(address) < ADDRESS_MIN:
        return AddressProblem.TOO_SHORT
    if len(address) > ADDRESS_MAX:
        return AddressProblem.TOO_LONG
    if not (_KECAMATAN.search(address) and _KOTA.search(address)):
        return AddressProblem.NO_AREA
    return None
