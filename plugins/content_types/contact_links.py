"""``mailto:`` and ``tel:`` links built from a member's checked values.

Validation lets through only plain addresses and phone numbers; these
filters still build each link from its parts, so that nothing in a value
can add a parameter (``?bcc=``) or change where the link goes.
"""

from __future__ import annotations

from urllib.parse import quote


def mailto_href(address: str) -> str:
    """``info@example.org`` → ``mailto:info@example.org``, every other
    character percent-encoded."""
    return "mailto:" + quote(str(address), safe="@._+-")


def tel_href(phone: str) -> str:
    """``+44 113 496 0000`` → ``tel:+441134960000``: the digits only, with
    a leading '+' if the number has one."""
    number = str(phone).strip()
    digits = "".join(c for c in number if c.isascii() and c.isdigit())
    return "tel:" + ("+" if number.startswith("+") else "") + digits


#: The filters the theme uses, by name.
FILTERS = {"mailto_href": mailto_href, "tel_href": tel_href}
