"""What a DSS base URL may hold: never credentials.

``http://user:password@host`` would be silently ignored by the transport (credentials travel only through
:class:`~cswidgets.api.transport.Auth`) and would show in every ``repr`` and message naming the URL. So such a
URL is refused where it comes in (:func:`cswidgets.connect`, :class:`~cswidgets.api.transport.Transport`), with
a message that never repeats it.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

__all__ = ["credentials_problem"]


def credentials_problem(url: Any) -> str | None:
    """Why ``url`` cannot be a DSS URL because it holds credentials (words that never repeat them), or ``None``."""
    if not isinstance(url, str):
        return None
    try:
        netloc = urlsplit(url.strip()).netloc
    except ValueError:
        return None
    if "@" not in netloc:
        return None
    return ("the DSS URL contains credentials (user:password@host); they are not used and must not be in the "
            "URL -- remove them and pass the API key with api_key= (or DKU_API_KEY) or a ticket with ticket=")
