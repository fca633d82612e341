"""A small HTTP client for SPARQL endpoints: Basic and Digest auth, re-sendable bodies, clear errors.

Why not ``urllib``'s auth handlers: they answer a 401 by re-sending the request, which fails for a
streamed body (a multi-gigabyte N-Triples upload), and they forget the Digest challenge between
requests. Here a body is ``bytes`` or a file path, both re-sendable, and the last challenge is
remembered so later requests authenticate up front (one round trip, not two).

>>> HttpClient().auth_header("GET", "/x") is None
True
>>> HttpClient("u", "p").auth_header("GET", "/x") is None  # no challenge seen yet
True
>>> c = HttpClient("u", "p")
>>> c.challenge = ("basic", {"realm": "r"})
>>> c.auth_header("GET", "/x")
'Basic dTpw'
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import socket
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from http.client import HTTPException, HTTPResponse
from pathlib import Path

from gutkg.errors import GutKGError, QueryError, StoreError

#: A request body: bytes, or a file streamed from disk (re-sendable after a 401).
Body = bytes | Path | None

_BLOCK = 1 << 20


@dataclass
class Response:
    """A finished or streaming response: ``status``, lower-cased ``headers``, ``stream``."""

    url: str
    status: int
    headers: dict[str, str]
    stream: HTTPResponse | urllib.error.HTTPError

    def read(self) -> bytes:
        try:
            return self.stream.read()
        finally:
            self.stream.close()

    def text(self, limit: int = 600) -> str:
        """The body as text, cut to ``limit`` characters (for error messages)."""
        body = self.read().decode("utf-8", "replace").strip()
        if "html" in self.headers.get("content-type", ""):
            body = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)).strip()
        body = re.sub(r"[ \t]+", " ", body)
        return body[:limit] + ("..." if len(body) > limit else "")


def _parse_challenge(header: str) -> tuple[str, dict[str, str]]:
    scheme, _, rest = header.strip().partition(" ")
    params = {k.lower(): v1 if v1 else v2 for k, v1, v2 in re.findall(r'(\w+)\s*=\s*(?:"([^"]*)"|([^\s,]+))', rest)}
    return scheme.lower(), params


class _Upload:
    """A file body read in blocks, reporting progress (bytes) to ``on_progress``."""

    def __init__(self, path: Path, on_progress: Callable[[int], None] | None) -> None:
        self.path, self.on_progress = path, on_progress

    def __iter__(self) -> Iterator[bytes]:
        with self.path.open("rb") as fh:
            while block := fh.read(_BLOCK):
                yield block
                if self.on_progress:
                    self.on_progress(len(block))


class HttpClient:
    """Requests to one server with optional credentials (Basic or Digest, chosen by the server)."""

    def __init__(self, user: str | None = None, password: str | None = None, *, timeout: float = 120.0) -> None:
        self.user, self.password, self.timeout = user, password, timeout
        self.challenge: tuple[str, dict[str, str]] | None = None
        self._nc = 0
        # no redirect to other hosts with our credentials, no auth handlers (see module docstring)
        self._opener = urllib.request.build_opener()

    def auth_header(self, method: str, uri: str) -> str | None:
        """The ``Authorization`` value for a request, once the server's challenge is known."""
        if not self.user or self.challenge is None:
            return None
        scheme, params = self.challenge
        if scheme == "basic":
            token = base64.b64encode(f"{self.user}:{self.password or ''}".encode()).decode()
            return f"Basic {token}"
        if scheme != "digest":
            raise StoreError(
                f"the server asks for {scheme!r} authentication; gutkg supports "
                "Basic and Digest. Use an endpoint with Basic or Digest auth."
            )
        algorithm = params.get("algorithm", "MD5").upper()
        hash_name = {"MD5": "md5", "MD5-SESS": "md5", "SHA-256": "sha256", "SHA-256-SESS": "sha256"}.get(algorithm)
        if hash_name is None:
            raise StoreError(f"unsupported Digest algorithm {algorithm!r} (use MD5 or SHA-256)")

        def h(text: str) -> str:
            return hashlib.new(hash_name, text.encode()).hexdigest()

        realm, nonce = params.get("realm", ""), params.get("nonce", "")
        self._nc += 1
        nc, cnonce = f"{self._nc:08x}", os.urandom(8).hex()
        ha1 = h(f"{self.user}:{realm}:{self.password or ''}")
        if algorithm.endswith("-SESS"):
            ha1 = h(f"{ha1}:{nonce}:{cnonce}")
        ha2 = h(f"{method}:{uri}")
        qop = "auth" if "auth" in params.get("qop", "").split(",") or params.get("qop") == "auth" else ""
        response = h(f"{ha1}:{nonce}:{nc}:{cnonce}:{qop}:{ha2}") if qop else h(f"{ha1}:{nonce}:{ha2}")
        parts = [
            f'username="{self.user}"',
            f'realm="{realm}"',
            f'nonce="{nonce}"',
            f'uri="{uri}"',
            f'response="{response}"',
            f"algorithm={algorithm}",
        ]
        if qop:
            parts += [f"qop={qop}", f"nc={nc}", f'cnonce="{cnonce}"']
        if "opaque" in params:
            parts.append(f'opaque="{params["opaque"]}"')
        return "Digest " + ", ".join(parts)

    def request(
        self,
        method: str,
        url: str,
        *,
        params: Sequence[tuple[str, str]] = (),
        body: Body = None,
        content_type: str | None = None,
        accept: str | None = None,
        on_progress: Callable[[int], None] | None = None,
        timeout: float | None = None,
    ) -> Response:
        """Send a request and return the response, whatever its status (errors are the caller's).

        Connection failures raise :class:`StoreError` (or :class:`QueryError` for a timeout)
        with a message naming the URL; a 401 is answered once with the credentials.
        """
        _check_scheme(url)
        if params:
            url += ("&" if "?" in url else "?") + urllib.parse.urlencode(list(params))
        retried = False
        for _attempt in range(3):
            sent_auth = False
            headers = {"User-Agent": "gutkg"}
            if accept:
                headers["Accept"] = accept
            if content_type:
                headers["Content-Type"] = content_type
            split = urllib.parse.urlsplit(url)
            auth = self.auth_header(method, split.path + (f"?{split.query}" if split.query else ""))
            if auth:
                headers["Authorization"] = auth
                sent_auth = True
            data: bytes | _Upload | None
            if isinstance(body, Path):
                headers["Content-Length"] = str(body.stat().st_size)
                data = _Upload(body, on_progress)
            else:
                data = body
            req = urllib.request.Request(url, data=data, headers=headers, method=method)  # noqa: S310 - http(s) only, checked above
            response = self._open(req, timeout)
            if response.status != 401:
                return response
            challenge = response.headers.get("www-authenticate", "")
            response.read()
            if not self.user:
                raise StoreError(
                    f"{_where(url)} asks for a user name and password (HTTP 401). "
                    "Pass --user and --password (or set GUTKG_SPARQL_USER and "
                    "GUTKG_SPARQL_PASSWORD)."
                )
            if not challenge:
                raise StoreError(
                    f"{_where(url)} refused the request (HTTP 401) without saying which authentication it wants."
                )
            fresh = _parse_challenge(challenge)
            used = self.challenge[1].get("nonce") if self.challenge else None
            new_nonce = fresh[0] == "digest" and fresh[1].get("nonce") != used
            if sent_auth and (retried or not new_nonce):
                raise StoreError(
                    f"{_where(url)} refused the user name or password for "
                    f"{self.user!r} (HTTP 401). Check --user and --password."
                )
            retried = sent_auth  # a Digest nonce may expire once; a second refusal is final
            self.challenge = fresh
        raise StoreError(f"{_where(url)} keeps asking for authentication (HTTP 401).")

    def prime(self, url: str) -> None:
        """Learn the server's challenge before a large upload, so the body is sent only once."""
        _check_scheme(url)
        if self.user and self.challenge is None:
            response = self._open(
                urllib.request.Request(  # noqa: S310 - http(s) only, checked above
                    url,
                    method="HEAD",
                    headers={"User-Agent": "gutkg"},
                ),
                None,
            )
            if response.status == 401 and response.headers.get("www-authenticate"):
                self.challenge = _parse_challenge(response.headers["www-authenticate"])
            response.read()

    def _open(self, req: urllib.request.Request, timeout: float | None) -> Response:
        url = req.full_url
        try:
            stream = self._opener.open(req, timeout=timeout or self.timeout)
            return Response(url, stream.status, {k.lower(): v for k, v in stream.headers.items()}, stream)
        except urllib.error.HTTPError as exc:
            return Response(url, exc.code, {k.lower(): v for k, v in exc.headers.items()}, exc)
        except urllib.error.URLError as exc:
            raise _connection_error(url, exc.reason) from None
        except TimeoutError:
            raise QueryError(
                f"{_where(url)} did not answer within {timeout or self.timeout:g} s. "
                "Simplify the query, add a LIMIT, or raise the timeout."
            ) from None
        except (ConnectionError, HTTPException, OSError) as exc:
            raise _connection_error(url, exc) from None


def _where(url: str) -> str:
    split = urllib.parse.urlsplit(url)
    return f"{split.scheme}://{split.hostname}{f':{split.port}' if split.port else ''}{split.path}"


def _connection_error(url: str, reason: object) -> GutKGError:
    if isinstance(reason, TimeoutError):
        return QueryError(
            f"{_where(url)} did not answer in time. Simplify the query, add a LIMIT, or raise the timeout."
        )
    if isinstance(reason, ConnectionRefusedError):
        why = "connection refused. Is the server running, and are the host and port right?"
    elif isinstance(reason, socket.gaierror):
        why = "unknown host. Check the host name in the URL."
    elif isinstance(reason, ConnectionError | HTTPException):
        why = f"the server closed the connection ({type(reason).__name__}). Is it still running?"
    else:
        why = f"{reason}."
    return StoreError(f"cannot reach {_where(url)}: {why}")


def _check_scheme(url: str) -> None:
    """Refuse any URL that is not http(s): a store never reads ``file:`` or other local schemes.

    >>> _check_scheme("file:///etc/passwd")  # doctest: +IGNORE_EXCEPTION_DETAIL
    Traceback (most recent call last):
    gutkg.errors.StoreError: ...
    """
    if urllib.parse.urlsplit(url).scheme.lower() not in {"http", "https"}:
        raise StoreError(
            f"{url!r} is not an http(s) URL: a remote store speaks HTTP only (write it as sparql+http://HOST:PORT/PATH)"
        )
