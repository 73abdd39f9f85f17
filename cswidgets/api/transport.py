"""The one HTTP transport every API call goes through.

Design
------
- **Base URL**: ``<url>/public/api`` (the documented path; see :mod:`cswidgets.api.assumptions`).
- **Auth**: an API key is sent as HTTP Basic with the key as user name and an empty password (what the
  official client sends); an in-DSS ticket as ``X-DKU-APITicket``; a JWT as ``Authorization: Bearer``.
  The secret lives in one private auth object whose ``repr`` shows only the kind; it is never logged and
  is scrubbed from any server text that echoes it.
- **TLS**: verification is on unless ``verify=False``; ``verify`` may be a CA bundle path.
- **Bounded time**: every call has an overall *deadline* (``deadline=``, default twice ``connect + read``:
  70 s with the default timeouts) covering the connection, every read, the retries and their pauses and
  the whole body (a body that trickles in is cut at the deadline by a watchdog). ``Retry-After`` is
  honoured up to 10 s, and only when the next attempt still fits in the deadline (else the 503 is
  returned at once). Long writes have their own, longer one (``write_timeout``, below). See
  :mod:`cswidgets.api.deadline`.
- **Redirects**: a write never follows one (the error names the target); a read follows at most 3, on the
  same origin only -- credentials are never sent to another host.
- **Outcome unknown**: when a write was sent and its answer lost (reset after sending, read timeout), it
  raises :class:`~cswidgets.api.errors.DSSOutcomeUnknownError` (never resent); a write that never reached
  the server (refused, connect timeout, TLS) raises a plain :class:`~cswidgets.api.errors.DSSConnectionError`.
- **Timeouts** on every call (``(connect, read)`` seconds, default ``(5, 30)``). Long writes -- stop,
  restart, pull, push, build, import (``long_write=True``) -- have an overall deadline of ``write_timeout``
  seconds instead (default :data:`DEFAULT_WRITE_TIMEOUT`, 15 minutes: DSS answers a pull of a big zone
  only when the copy is done): connecting (within the connect timeout), sending, waiting for the answer
  and reading its body must all fit in it. Past it the call raises
  :class:`~cswidgets.api.errors.DSSOutcomeUnknownError` (the request was sent, its answer did not come in
  time; it is never resent). ``write_timeout=None`` removes the limit.
- **Pooling**: connection pools hold ``pool_size`` keep-alive connections per host so ``pool_size``
  threads can work at once (``studios_frame`` uses the same number by default).
- **Retries**: two ``requests`` sessions share the auth and settings but not their adapters. The *read*
  session mounts an adapter with a urllib3 :class:`~urllib3.util.retry.Retry` (connect, read and
  5xx-status retries with exponential backoff, ``GET`` only, honouring ``Retry-After``). The *write*
  session mounts an adapter with retries disabled. Callers choose with ``idempotent=True`` -- the
  default is ``False`` so a forgotten flag can never cause a duplicate side effect. Pull and push are
  GETs on the wire but have side effects, so they use the write session. ``GET /futures/{id}?peek=False``
  also uses it: it hands the result over and (INFERRED) may consume it, and a failed task answers it with
  an HTTP 500 that must not be repeated.
- **Per-call cost**: proxies and the CA bundle are read from the environment once (``*_proxy``/``no_proxy``,
  ``REQUESTS_CA_BUNDLE``/``CURL_CA_BUNDLE``; netrc is not used), headers are merged once, and each call is
  a prepared request sent with ``Session.send`` (adapters, retries, redirects, hooks). This cuts our CPU
  per request by about a third against ``Session.request``; it matters when a pool of threads shares one GIL.
- **Errors**: any status >= 400 raises :class:`~cswidgets.api.errors.DSSError` with status, errorType,
  message and detailed message; a non-JSON body still yields a readable message. Network failures raise
  :class:`~cswidgets.api.errors.DSSConnectionError`.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import threading
import time
from collections.abc import Mapping
from typing import Any, Union
from urllib.parse import urljoin, urlsplit, urlunsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import HTTPError as Urllib3Error
from urllib3.util.retry import Retry

from .._version import __version__
from . import assumptions, text
from .body import ACCEPT_ENCODING, DEFAULT_MAX_ANSWER_BYTES, AnswerTooLarge, read_capped
from .compat import capped_retry
from .deadline import WATCHDOG, DeadlineRetry, call_deadline, socket_of
from .errors import DSSConnectionError, DSSError, DSSOutcomeUnknownError, cap, scrub, scrub_deep
from .jobs import JobBoard
from .load import LoadMeter, route_kind
from .syncboard import SyncBoard
from .urls import credentials_problem
from .watched import POOL_CLASSES, watching
from .writes import not_understood

__all__ = ["DEFAULT_WRITE_TIMEOUT", "Auth", "Transport"]

log = logging.getLogger(__name__)

Timeout = Union[float, tuple[float, float]]  # typing.Union: "X | Y" fails at run time on Python 3.9

RETRY_STATUSES = (500, 502, 503, 504)
MAX_KEY_LENGTH = 1000  # API keys and tickets (a JWT, sent as Bearer, may be longer)
MAX_REDIRECTS = 3  # same-origin redirects a read follows
#: The overall deadline of a long write (stop, restart, pull, push, build, import) by default, in seconds.
DEFAULT_WRITE_TIMEOUT = 900.0
#: The longest :meth:`Transport.probe` may take, whatever the timeouts (``Client.is_simulator`` waits on it).
PROBE_DEADLINE_S = 10.0


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    port = parts.port or {"http": 80, "https": 443}.get(parts.scheme)
    return parts.scheme.lower(), (parts.hostname or "").lower(), port


def _without_credentials(url: str) -> str:
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]))


def _seconds(limit: float | None) -> str:
    return "" if limit is None else f" of {limit:g} s"


def _not_sent(exc: BaseException) -> bool:
    """Whether a failed write certainly never reached the server (no connection was made)."""
    from urllib3.exceptions import ConnectTimeoutError, NewConnectionError

    if isinstance(exc, (requests.ConnectTimeout, requests.exceptions.SSLError, requests.exceptions.ProxyError)):
        return True
    seen: set[int] = set()
    todo: list[Any] = [exc]
    while todo:
        cur = todo.pop()
        if cur is None or id(cur) in seen:
            continue
        seen.add(id(cur))
        if isinstance(cur, (NewConnectionError, ConnectTimeoutError, ConnectionRefusedError)):
            return True
        if isinstance(cur, BaseException):
            todo += [getattr(cur, "reason", None), cur.__cause__, cur.__context__, *cur.args]
    return False


class Auth(requests.auth.AuthBase):
    """Adds DSS credentials to each request; its ``repr`` never shows the secret.

    Parameters
    ----------
    kind : {"api_key", "ticket", "bearer"}
        How the secret is sent.
    secret : str
        The API key, in-DSS ticket or JWT.
    """

    KINDS = ("api_key", "ticket", "bearer")

    def __init__(self, kind: str, secret: str) -> None:
        if kind not in self.KINDS:
            raise ValueError(f"unknown auth kind {kind!r}")
        # the messages never echo the secret
        if not isinstance(secret, str) or not secret.strip():
            raise ValueError(f"{kind} must be a non-empty str")
        if any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in secret):
            raise ValueError(f"{kind} must not contain spaces, line breaks or control characters")
        if kind != "bearer" and (secret in (".", "..") or len(secret) > MAX_KEY_LENGTH):
            raise ValueError(f"{kind} is not a DSS key (keys are short tokens, at most {MAX_KEY_LENGTH} characters)")
        self.kind = kind
        self.__secret = secret

    def secrets(self) -> tuple[str, ...]:
        """Every form the secret can take on the wire (for scrubbing)."""
        forms = [self.__secret]
        if self.kind == "api_key":
            forms.append(base64.b64encode(f"{self.__secret}:".encode()).decode())
        return tuple(forms)

    def headers(self) -> dict[str, str]:
        """The headers that carry the credentials."""
        if self.kind == "api_key":
            token = base64.b64encode(f"{self.__secret}:".encode()).decode()
            return {"Authorization": f"Basic {token}"}
        if self.kind == "ticket":
            return {"X-DKU-APITicket": self.__secret}
        return {"Authorization": f"Bearer {self.__secret}"}

    def __call__(self, r: requests.PreparedRequest) -> requests.PreparedRequest:
        r.headers.update(self.headers())
        return r

    def __repr__(self) -> str:
        return f"Auth(kind={self.kind!r})"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Auth) and other.kind == self.kind and other.secrets() == self.secrets()

    __hash__ = None  # type: ignore[assignment]

    def __getstate__(self) -> dict[str, Any]:  # never pickle a secret by accident
        raise TypeError("cswidgets Auth objects cannot be pickled")


class Transport:
    """Session, auth, retries, timeouts and error mapping for one DSS instance.

    Parameters
    ----------
    url : str
        DSS base URL, e.g. ``https://dss.example:11200`` (the API path is appended).
    auth : Auth
        Credentials.
    verify : bool or str
        TLS verification (``True``), off (``False``) or a CA bundle path.
    timeout : float or (float, float)
        Connect/read timeouts in seconds, applied to every call.
    write_timeout : float, optional
        Overall deadline of long writes (stop, restart, pull, push, build, import) in seconds, default
        :data:`DEFAULT_WRITE_TIMEOUT` (15 minutes); past it they raise
        :class:`~cswidgets.api.errors.DSSOutcomeUnknownError`. ``None``: no limit. Their connect timeout is
        the one of ``timeout``.
    pool_size : int
        Keep-alive connections per host; size it to the concurrency you use.
    retries : int
        Retries for idempotent reads (0 disables them).
    backoff_factor : float
        urllib3 backoff factor (sleeps ``factor * 2**(n-1)`` seconds, capped at 2 s).
    cert : str or (str, str), optional
        Client certificate.
    extra_headers : mapping, optional
        Headers added to every request (never credentials: use ``auth``).
    deadline : float, optional
        Overall seconds of one call: connect, every read, retries and their pauses, the whole body.
        ``None`` (default): twice ``connect + read``. Long writes have ``write_timeout`` instead.
    proxies : mapping, optional
        Proxies by scheme (``{"https": "http://proxy:3128"}``), over those of the environment.
    max_answer_bytes : int, optional
        The largest answer body read (decoded, compressed or not), default
        :data:`~cswidgets.api.body.DEFAULT_MAX_ANSWER_BYTES` (32 MiB); a larger one raises
        :class:`~cswidgets.api.body.AnswerTooLarge` (a :class:`DSSError`) naming its size and the limit, and is
        not read further. ``None``: no limit.
    """

    def __init__(
        self,
        url: str,
        auth: Auth,
        *,
        verify: bool | str = True,
        timeout: Timeout = (5.0, 30.0),
        write_timeout: float | None = DEFAULT_WRITE_TIMEOUT,
        pool_size: int = 16,
        retries: int = 3,
        backoff_factor: float = 0.1,
        cert: str | tuple[str, str] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        deadline: float | None = None,
        proxies: Mapping[str, str] | None = None,
        max_answer_bytes: int | None = DEFAULT_MAX_ANSWER_BYTES,
    ) -> None:
        problem = credentials_problem(url)
        if problem:
            raise ValueError(problem)
        if not isinstance(url, str) or not url.startswith(("http://", "https://")):
            raise ValueError(f"url must start with http:// or https://, got {url!r}")
        if max_answer_bytes is not None and (isinstance(max_answer_bytes, bool) or not isinstance(
                max_answer_bytes, int) or max_answer_bytes < 1):
            raise ValueError("max_answer_bytes must be a positive int (bytes), or None (no limit)")
        self.max_answer_bytes = max_answer_bytes
        if not isinstance(pool_size, int) or pool_size < 1:
            raise ValueError("pool_size must be a positive int")
        if not isinstance(retries, int) or retries < 0:
            raise ValueError("retries must be an int >= 0")
        self.base_url = url.rstrip("/")
        self.api_url = self.base_url + assumptions.API_BASE_PATH
        self.auth = auth
        self.verify = verify
        self.timeout = timeout
        if write_timeout is not None and not (isinstance(write_timeout, (int, float)) and write_timeout > 0):
            raise ValueError("write_timeout must be a positive number of seconds, or None (no limit)")
        self.write_timeout = write_timeout
        if deadline is not None and not (isinstance(deadline, (int, float)) and deadline > 0):
            raise ValueError("deadline must be a positive number of seconds, or None (twice connect + read)")
        self.deadline = deadline
        self._proxies = dict(proxies or {})
        self.pool_size = pool_size
        self.retries = retries
        self._secrets = auth.secrets()
        text.register(self, self._secrets)  # every text from DSS, wherever it goes, is scrubbed of them
        self._lock = threading.Lock()
        self._last_headers: Mapping[str, str] = {}
        #: one outcome per job id, shared by every Future of this connection (see :mod:`.jobs`)
        self.jobs = JobBoard()
        #: the zone syncs running and the studio-change listeners of this connection (see :mod:`.syncboard`)
        self.syncs = SyncBoard()
        #: the requests this connection sent, by kind (:meth:`cswidgets.api.Client.load`)
        self.load = LoadMeter()
        read_retry = capped_retry(
            base=DeadlineRetry,
            total=retries,
            connect=retries,
            read=retries,
            status=retries,
            other=0,
            redirect=0,
            allowed_methods=frozenset({"GET", "HEAD"}),
            status_forcelist=RETRY_STATUSES,
            backoff_factor=backoff_factor,
            raise_on_status=False,
            respect_retry_after_header=True,
            backoff_max=2.0,
        )
        no_retry = Retry(total=0, read=False, redirect=0, raise_on_status=False)
        self._read = self._session(read_retry, verify, cert, extra_headers)
        self._write = self._session(no_retry, verify, cert, extra_headers)
        # Everything a request needs, merged once: ``request`` prepares with these and calls
        # ``Session.send`` (adapters, retries, redirects, hooks), skipping ``Session.request``'s
        # per-call merging of environment, cookies and headers (its typing-Protocol checks cost ~0.2 ms).
        self._headers = dict(self._read.headers)
        self._send_kwargs = {"verify": self._read.verify, "cert": self._read.cert, "proxies": dict(self._read.proxies)}
        if verify is False:
            log.warning("TLS certificate verification is disabled for %s", self.base_url)

    def _session(
        self, retry: Retry, verify: bool | str, cert: Any, extra_headers: Mapping[str, str] | None
    ) -> requests.Session:
        session = requests.Session()
        adapter = HTTPAdapter(pool_connections=4, pool_maxsize=self.pool_size, max_retries=retry)
        # the call's deadline watches each socket from its connect on (status line and headers too)
        adapter.poolmanager.pool_classes_by_scheme = POOL_CLASSES
        session.mount("http://", adapter)
        session.mount("https://", adapter)
        session.auth = self.auth
        # Environment settings (proxies, CA bundle) are read once here instead of on every request:
        # requests' per-request lookup walks os.environ twice per call (~0.4 ms, a third of our CPU per
        # request in the studios_frame benchmark). Same rules as requests: *_proxy / no_proxy, and
        # REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE when verify is True. netrc is not consulted (auth is explicit).
        session.trust_env = False
        session.proxies.update(requests.utils.get_environ_proxies(self.base_url))
        session.proxies.update(self._proxies)  # explicit ones (e.g. the official client's) win
        if verify is True:
            verify = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE") or True
        session.verify = verify
        if cert:
            session.cert = cert
        session.headers.update({"User-Agent": f"cswidgets/{__version__}", "Accept": "application/json",
                                "Accept-Encoding": ACCEPT_ENCODING})  # the encodings body.read_capped decodes
        for name, value in (extra_headers or {}).items():
            if name.lower() in ("authorization", "x-dku-apiticket"):
                continue  # credentials only travel through Auth
            session.headers[name] = value
        return session

    # ----------------------------------------------------------------------------------------------
    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        body: Any = None,
        idempotent: bool = False,
        long_write: bool = False,
        timeout: Timeout | None = None,
        files: Mapping[str, Any] | None = None,
    ) -> requests.Response:
        """Send one request and return the response (body read); raise on status >= 400 or network failure.

        Parameters
        ----------
        method : str
            HTTP method.
        path : str
            Path below the API base, already quoted (build it with :mod:`cswidgets.api.validate`).
        params : mapping, optional
            Query parameters (form-encoded by ``requests``).
        body : object, optional
            JSON-serialisable body.
        idempotent : bool
            ``True`` only for safe reads: selects the retrying session, and same-origin redirects are
            followed. A write never follows a redirect.
        long_write : bool
            An action whose answer may take long (stop, restart, pull, push, build, import): the call's
            overall deadline (and read timeout) is ``write_timeout`` (``None``: no limit) instead of the
            transport's ``deadline``.
        timeout : float or (float, float), optional
            Overrides the transport timeout for this call.
        files : mapping, optional
            Files sent as ``multipart/form-data`` (``{"file": fileobj}``, as ``requests`` takes them);
            not with ``body``.

        Raises
        ------
        DSSError
            An error answer, a redirect that is not followed, or a malformed answer.
        DSSOutcomeUnknownError
            A write was sent and its answer lost or not received within its deadline (the server may have
            applied it; never resent).
        DSSConnectionError
            No usable answer within the deadline (refused, reset, timeout, TLS).
        """
        session = self._read if idempotent else self._write
        if long_write and timeout is None:  # its own overall deadline, which also bounds each read
            timeout, total = (self._connect_timeout(), self.write_timeout), self.write_timeout
        else:
            timeout = self.timeout if timeout is None else timeout
            total = self._deadline_for(timeout)
        deadline = None if total is None else time.monotonic() + total
        data = None
        headers = self._headers
        if body is not None:
            data = json.dumps(body)
            headers = {**headers, "Content-Type": "application/json"}
        url = self.api_url + path
        self.load.record(route_kind(method, path))
        started = time.perf_counter()
        for _hop in range(MAX_REDIRECTS + 1):
            resp = self._send(session, method, path, url, params, headers, data, timeout, deadline, idempotent, files,
                              limit=total)
            if not resp.is_redirect:
                break
            url = self._redirect_target(method, path, resp, idempotent)
            params = None  # the Location carries the query
        else:
            raise DSSError(f"more than {MAX_REDIRECTS} redirects", status=resp.status_code, method=method, path=path)
        elapsed = (time.perf_counter() - started) * 1000
        log.debug("%s %s -> %s in %.1f ms", method, path, resp.status_code, elapsed)
        self._last_headers = resp.headers
        if resp.status_code >= 400:
            raise self._error(method, path, resp)
        return resp

    def _deadline_for(self, timeout: Timeout) -> float | None:
        """The overall seconds of a call with these timeouts (``None``: a read timeout of ``None``, no limit).
        Long writes use ``write_timeout`` instead (see :meth:`request`)."""
        connect, read = timeout if isinstance(timeout, tuple) else (timeout, timeout)
        if read is None:
            return None
        if self.deadline is not None:
            return self.deadline
        return 2.0 * (float(connect or 0) + float(read))

    def _send(
        self,
        session: requests.Session,
        method: str,
        path: str,
        url: str,
        params: Mapping[str, Any] | None,
        headers: Mapping[str, str],
        data: str | None,
        timeout: Timeout,
        deadline: float | None,
        idempotent: bool,
        files: Mapping[str, Any] | None = None,
        *,
        limit: float | None = None,
    ) -> requests.Response:
        """One request (with the session's retries) and its whole body, inside ``deadline`` (a
        ``time.monotonic()`` value; ``limit`` is the call's deadline in seconds, for the messages)."""
        if deadline is not None:  # no attempt may outlive the call
            left = max(0.01, deadline - time.monotonic())
            connect, read = timeout if isinstance(timeout, tuple) else (timeout, timeout)
            timeout = (min(connect, left), min(read, left) if read is not None else left)
        token = None
        with watching(deadline) as watch:  # from the first byte: connect, status line, headers, body
            try:
                prepared = requests.PreparedRequest()
                prepared.prepare(method=method, url=url, headers=headers, params=params, data=data, files=files,
                                 auth=self.auth)
                with call_deadline(deadline):
                    resp = session.send(prepared, timeout=timeout, allow_redirects=False, stream=True,
                                        **self._send_kwargs)
                sock = socket_of(resp) if deadline is not None and not watch.watching else None
                if sock is not None:  # a connection of pools we do not make (a proxy's): watch the body at least
                    token = WATCHDOG.watch(deadline, sock)
                self._read_body(resp, method, path)
            except (requests.RequestException, OSError, Urllib3Error) as exc:
                cut = watch.release() or (token is not None and WATCHDOG.release(token))
                late = cut or (deadline is not None and time.monotonic() >= deadline - 0.05)  # a read timed out
                raise self._connection_error(method, path, exc, late, idempotent, limit) from None
            if watch.release() or (token is not None and WATCHDOG.release(token)):  # cut as the answer ended
                cut_late = TimeoutError("the answer was still arriving")
                raise self._connection_error(method, path, cut_late, True, idempotent, limit) from None
        return resp

    def _read_body(self, resp: requests.Response, method: str, path: str) -> None:
        """Read the whole body now (under the watchdog), decoded and capped at ``max_answer_bytes``."""
        try:
            body = read_capped(resp.raw, resp.headers, self.max_answer_bytes)
        except AnswerTooLarge as exc:
            resp.close()
            raise AnswerTooLarge(exc.message, status=resp.status_code, method=method, path=path,
                                 error_type=exc.error_type) from None
        except ValueError as exc:  # an encoding never asked for, a corrupt compressed body
            resp.close()
            raise DSSError(f"unreadable answer: {exc}", status=resp.status_code, method=method, path=path) from None
        except BaseException:
            resp.close()
            raise
        resp._content, resp._content_consumed = body, True  # what resp.content answers from now on
        resp.raw.release_conn()

    def _connection_error(
        self, method: str, path: str, exc: BaseException, late: bool, idempotent: bool, limit: float | None = None
    ) -> DSSConnectionError:
        """The error of a call without a usable answer: :class:`DSSOutcomeUnknownError` for a write that was
        sent (``late``: the call's deadline, ``limit`` seconds, passed), else :class:`DSSConnectionError`."""
        detail = scrub(str(exc), self._secrets) or type(exc).__name__
        kind = DSSConnectionError if idempotent or _not_sent(exc) else DSSOutcomeUnknownError
        if kind is DSSOutcomeUnknownError and late:
            text = (f"no answer within the call's deadline{_seconds(limit)}; the request was sent and the server "
                    f"may have applied it (it is not resent): {detail}")
        elif kind is DSSOutcomeUnknownError:
            text = f"the answer was lost after the request was sent; the server may have applied it ({detail})"
        elif late:
            text = f"the answer did not arrive within the call's deadline{_seconds(limit)} ({detail})"
        else:
            text = detail
        log.debug("%s %s failed: %s", method, path, text)
        return kind(cap(text), method=method, path=path, error_type=type(exc).__name__)

    def _redirect_target(self, method: str, path: str, resp: requests.Response, idempotent: bool) -> str:
        """Where a redirect of a read may be followed; raise for a write or another origin."""
        location = resp.headers.get("location") or ""
        target = _without_credentials(urljoin(resp.url or self.api_url, location))
        target = scrub(target, self._secrets) or ""
        resp.close()
        if not idempotent:
            raise DSSError(
                f"the server redirected {method} to {cap(target, 300)}; a write never follows a redirect "
                "(it was not sent there)",
                status=resp.status_code, method=method, path=path, error_type="Redirect",
            )
        if _origin(target) != _origin(self.base_url):
            raise DSSError(
                f"the server redirected to another host, {cap(target, 300)}; credentials are never sent to "
                "another origin (check the DSS URL)",
                status=resp.status_code, method=method, path=path, error_type="Redirect",
            )
        return target

    def _connect_timeout(self) -> float:
        return self.timeout[0] if isinstance(self.timeout, tuple) else self.timeout

    def json(self, method: str, path: str, **kwargs: Any) -> Any:
        """Like :meth:`request` and decode the JSON body (``None`` for an empty body)."""
        resp = self.request(method, path, **kwargs)
        if not resp.content or not resp.content.strip():
            return None
        try:  # UTF-8 with or without a BOM, whatever the Content-Type says; every string through the gate
            return text.decode_answer(resp.content, self._secrets)
        except (ValueError, RecursionError) as exc:
            error = self._not_json(method, path, resp, exc)
            if not kwargs.get("idempotent") and error.error_type != "HTMLAnswer":  # a write DSS accepted
                raise not_understood(f"{method} {path}", error.message, http_status=resp.status_code, method=method,
                                     path=path) from None
            raise error from None

    def _not_json(self, method: str, path: str, resp: requests.Response, exc: BaseException) -> DSSError:
        """The error of an answer that is not JSON: an HTML page (a login or proxy page) says so."""
        body = text.dss_text(text.answer_text(resp.content), self._secrets, limit=None) or ""
        if assumptions.is_html_answer(resp.headers.get("Content-Type"), body):
            return DSSError(
                "DSS answered an HTML page (a login or proxy page?) instead of JSON -- check the URL and the "
                f"credentials: {cap(body.strip(), 200)!r}",
                status=resp.status_code, method=method, path=path, error_type="HTMLAnswer",
            )
        if isinstance(exc, text.NestedTooDeeply):
            what = f"JSON nested too deeply ({exc})"
        elif isinstance(exc, RecursionError):
            what = "JSON nested too deeply"
        else:
            what = "invalid JSON"
        return DSSError(f"{what} in the answer: {cap(body, 200)!r}", status=resp.status_code, method=method, path=path)

    def empty(self, method: str, path: str, **kwargs: Any) -> None:
        """Like :meth:`request`, ignoring the body."""
        self.request(method, path, **kwargs)

    # ----------------------------------------------------------------------------------------------
    def _error(self, method: str, path: str, resp: requests.Response) -> DSSError:
        # through the gate first, cut later: a cut secret can no longer be recognised
        raw = text.dss_text(text.answer_text(resp.content or b""), self._secrets, limit=None) or ""
        try:
            payload = text.decode_answer(resp.content, self._secrets) if raw.strip() else None
        except (ValueError, RecursionError):
            payload = None
        body = scrub_deep(assumptions.parse_error_body(payload, raw, text.dss_text(resp.reason, self._secrets)),
                          self._secrets)
        error_type = body.get("errorType")
        detailed = body.get("detailedMessage")
        return DSSError(
            str(body.get("message")),
            status=resp.status_code,
            error_type=error_type if isinstance(error_type, str) and error_type else assumptions.UNKNOWN_ERROR_TYPE,
            detailed_message=detailed if isinstance(detailed, str) else None,
            method=method,
            path=path,
            body=body,
        )

    def probe(self, path: str) -> tuple[int | None, Any, Mapping[str, str]]:
        """GET ``base_url + path`` (outside the API) without raising: ``(status, json or None, headers)``.

        Bounded like every call (its deadline, at most :data:`PROBE_DEADLINE_S`, from the first byte; the
        answer-size cap); no answer within it, or too large an answer, is ``(None, None, {})``."""
        limit = min(self._deadline_for(self.timeout) or PROBE_DEADLINE_S, PROBE_DEADLINE_S)
        deadline = time.monotonic() + limit
        try:
            resp = self._send(self._read, "GET", path, self.base_url + path, None, self._headers, None, self.timeout,
                              deadline, True, limit=limit)
        except DSSError:
            return None, None, {}
        try:
            body = text.decode_answer(resp.content, self._secrets) if resp.content.strip() else None
        except (ValueError, RecursionError):
            body = None
        return resp.status_code, body, resp.headers

    @property
    def last_headers(self) -> Mapping[str, str]:
        """Headers of the last API answer."""
        return self._last_headers

    @property
    def dss_version(self) -> str | None:
        """The ``DSS-Version`` header of the last answer (``None`` before the first call)."""
        return self._last_headers.get(assumptions.VERSION_HEADER)

    def close(self) -> None:
        """Close both sessions and their pooled connections."""
        self._read.close()
        self._write.close()

    def __repr__(self) -> str:
        return f"Transport(url={self.base_url!r}, auth={self.auth.kind!r})"
