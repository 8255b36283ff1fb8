"""The one interface every platform adapter implements, and the HTTP plumbing they share.

Pure Python on purpose (no Django): the Celery tasks, the benchmark and the
tests all drive providers with plain values, and the same code must run in a
worker that has not configured Django yet.

Error contract (why the exception classes exist): the refresh task decides
what to do from the *class* of the failure, never from a message string.

* ``RateLimited`` / ``QuotaExceeded`` / ``TransientError`` /
  ``MalformedResponse`` are retryable: the task retries with backoff
  (``RateLimited.retry_after`` tells how long at least).
* ``AccountGone`` and ``AuthError`` are not: retrying cannot help; the account
  is marked and the creator is asked to re-link.

``fetch()`` returns one entry per ``AccountRef.key``. A failure that concerns
one account is put in the dict as that account's value. A failure that hits
the whole call (quota, 429, 5xx, timeout, malformed body) is raised when no
account has been decided yet; once some accounts are decided (stats or their
own error), the adapters return those and map every unfinished ref to the same
error instance, so quota already spent is not thrown away.
"""

from __future__ import annotations

import abc
import email.utils
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, ClassVar

import requests

__all__ = [
    "AccountGone",
    "AccountRef",
    "AccountStats",
    "AuthError",
    "Demographics",
    "FetchResult",
    "FoundPost",
    "HttpProvider",
    "MalformedResponse",
    "NotAccountPost",
    "PostMetrics",
    "PostRef",
    "PostStats",
    "Provider",
    "ProviderError",
    "QuotaExceeded",
    "RateLimited",
    "TransientError",
]


@dataclass(frozen=True)
class AccountRef:
    """What we ask a provider about; ``key`` is ours and comes back as the dict key."""

    key: str
    handle: str
    external_id: str = ""
    access_token: str = field(default="", repr=False)  # never in logs or tracebacks


@dataclass(frozen=True)
class PostStats:
    """One recent post. ``None`` means *unknown*, never zero (hidden or not returned)."""

    external_id: str
    published_at: datetime | None
    likes: int | None
    comments: int | None
    views: int | None
    shares: int | None = None
    likes_hidden: bool = False


@dataclass(frozen=True)
class AccountStats:
    """One observation of an account; ``posts`` newest first."""

    external_id: str
    handle: str
    followers: int | None
    following: int | None
    posts_count: int | None
    total_views: int | None
    total_likes: int | None
    posts: tuple[PostStats, ...]
    self_reported: bool = False
    # The owner hides the count (YouTube's hiddenSubscriberCount): followers is None for good, not "not yet".
    followers_hidden: bool = False


@dataclass(frozen=True)
class PostRef:
    """A followed post we ask about (issue 11); ``key`` is ours and comes back as the dict key.

    ``post_id`` is the platform's id (Instagram: the Graph media id; TikTok and YouTube: the video id).
    ``published_at`` / ``first_seen_at`` are what we know already (the demo provider ages its numbers by them).
    """

    key: str
    post_id: str
    account: AccountRef
    published_at: datetime | None = None
    first_seen_at: datetime | None = None


@dataclass(frozen=True)
class PostMetrics:
    """A post's lifetime numbers now. ``None`` means the platform does not give it (or hides it), never zero."""

    post_id: str
    views: int | None
    reach: int | None
    likes: int | None
    comments: int | None
    shares: int | None
    saves: int | None
    published_at: datetime | None = None


@dataclass(frozen=True)
class Demographics:
    """An account's audience as the platform weighs it: each group's values are counts or percentages (any
    scale; the caller turns each group into shares). Keys: ISO country codes; our age brackets ("18-24", "65+");
    "female" / "male" / "other"."""

    countries: dict[str, float]
    ages: dict[str, float]
    genders: dict[str, float]


@dataclass(frozen=True)
class FoundPost:
    """A post confirmed to belong to the account: the platform's id for it and, when known, when it went up."""

    post_id: str
    published_at: datetime | None = None


class ProviderError(Exception):
    """Base of every provider failure; ``retryable`` drives the task's retry decision."""

    retryable: bool = False

    def __init__(self, message: str = "", *, retryable: bool | None = None) -> None:
        super().__init__(message)
        if retryable is not None:
            self.retryable = retryable


class RateLimited(ProviderError):
    """The platform said "slow down"; wait at least ``retry_after`` seconds."""

    retryable = True

    def __init__(self, message: str = "", *, retry_after: float = 60.0) -> None:
        super().__init__(message)
        self.retry_after = float(retry_after)


class QuotaExceeded(ProviderError):
    """The daily quota is gone (YouTube); retry after the quota resets."""

    retryable = True


class AccountGone(ProviderError):
    """Not found, deleted, private or not a business account: retrying cannot help."""

    retryable = False


class AuthError(ProviderError):
    """Bad or expired credentials: the creator (or operator) must re-link."""

    retryable = False


class NotAccountPost(ProviderError):
    """The post does not exist (any more), is not public, or belongs to another account: retrying cannot help."""

    retryable = False


class TransientError(ProviderError):
    """5xx, timeout or connection failure: the next attempt may well succeed."""

    retryable = True


class MalformedResponse(ProviderError):
    """The body could not be understood; often a proxy hiccup, so worth one more try."""

    retryable = True


FetchResult = dict[str, "AccountStats | ProviderError"]


class Provider(abc.ABC):
    """One platform's statistics source.

    ``max_batch`` is how many refs a caller should put in one ``fetch()``
    (adapters chunk larger inputs themselves, but a task should not hold more
    work than one retry can redo). ``requests_per_minute`` is what the shared
    limiter in ``core.ratelimit`` is configured with.
    """

    platform: ClassVar[str]
    max_batch: int = 50
    requests_per_minute: int = 60
    #: False for providers that never leave the process (demo, self-reported LinkedIn).
    makes_requests: ClassVar[bool] = True

    def __init__(self) -> None:
        self.requests_made = 0
        # Called before every remote request: the refresh service plugs the shared
        # Redis limiter in here, so the quota is counted per HTTP call, not per batch.
        # It may raise a ProviderError (e.g. RateLimited) to stop the batch.
        self.throttle: Callable[[], None] | None = None

    @abc.abstractmethod
    def fetch(self, refs: Sequence[AccountRef]) -> FetchResult:
        """Stats or the per-account error for every ``ref.key``; see the module docstring."""

    # -- followed posts (issue 11) -----------------------------------------------------------

    def find_post(self, account: AccountRef, post_id: str) -> FoundPost:
        """Confirm that ``post_id`` (as parsed from its address: an Instagram shortcode, a video id) is a post of
        ``account``; raise NotAccountPost when it is not, another ProviderError when the platform cannot say now."""
        raise NotAccountPost(f"{self.platform}: posts cannot be followed on this platform")

    def fetch_demographics(self, account: AccountRef) -> Demographics:
        """The audience of an account its owner connected (``account.access_token``); raises ProviderError."""
        raise ProviderError(f"{self.platform}: no audience demographics on this platform")

    def fetch_posts(self, refs: Sequence[PostRef]) -> dict[str, PostMetrics | ProviderError]:
        """Numbers or the per-post error for every ``ref.key``; the whole-call rule of ``fetch`` applies."""
        return {ref.key: NotAccountPost(f"{self.platform}: posts cannot be followed on this platform") for ref in refs}


_NOT_JSON = object()


def parse_retry_after(value: str | None, default: float) -> float:
    """Seconds from a ``Retry-After`` header (delta-seconds or HTTP-date)."""
    if not value:
        return default
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return default
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def as_int(value: Any) -> int | None:
    """Platforms send counts as ints or (YouTube) strings; anything else is unknown."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        try:
            return int(value)
        except ValueError:
            raise MalformedResponse(f"count is not an integer: {value!r}") from None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    raise MalformedResponse(f"count is not an integer: {value!r}")


def chunks(items: Sequence[Any], size: int) -> list[Sequence[Any]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


class HttpProvider(Provider):
    """Shared HTTP handling so every adapter maps transport failures the same way.

    ``timeout`` is applied to every call (connect, read). Subclasses override
    ``_platform_error`` to turn the platform's error envelope into one of our
    exceptions; whatever it leaves alone gets the generic mapping
    (429 → RateLimited, 5xx → TransientError, non-JSON → MalformedResponse).
    """

    default_retry_after: float = 60.0

    def __init__(
        self,
        base_url: str,
        *,
        timeout: float | tuple[float, float] = (5.0, 20.0),
        session: requests.Session | None = None,
        requests_per_minute: int | None = None,
    ) -> None:
        super().__init__()
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.session = session or requests.Session()
        if requests_per_minute is not None:
            self.requests_per_minute = requests_per_minute

    def close(self) -> None:
        self.session.close()

    def _platform_error(self, response: requests.Response, body: Any) -> ProviderError | None:
        """The platform-specific exception for this response, or None to fall through."""
        return None

    def _after_response(self, response: requests.Response) -> None:
        """Hook for reading usage headers on every response, successful or not."""

    def _request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json_body: Any = None,
        headers: Mapping[str, str] | None = None,
    ) -> dict[str, Any]:
        if self.throttle is not None:
            self.throttle()
        self.requests_made += 1
        url = f"{self.base_url}{path}"
        try:
            response = self.session.request(
                method, url, params=params, json=json_body, headers=headers, timeout=self.timeout
            )
        except requests.Timeout as exc:
            raise TransientError(f"{self.platform}: timeout: {exc}") from exc
        except requests.ConnectionError as exc:
            raise TransientError(f"{self.platform}: connection error: {exc}") from exc
        except requests.RequestException as exc:
            raise TransientError(f"{self.platform}: request failed: {exc}") from exc
        self._after_response(response)
        try:
            body: Any = response.json()
        except (ValueError, json.JSONDecodeError):
            body = _NOT_JSON
        if body is not _NOT_JSON:
            error = self._platform_error(response, body)
            if error is not None:
                raise error
        status = response.status_code
        if status == 429:
            raise RateLimited(
                f"{self.platform}: HTTP 429",
                retry_after=parse_retry_after(response.headers.get("Retry-After"), self.default_retry_after),
            )
        if status >= 500:
            raise TransientError(f"{self.platform}: HTTP {status}")
        if status in (401, 403) and body is _NOT_JSON:
            raise AuthError(f"{self.platform}: HTTP {status}")
        if status >= 400:
            raise ProviderError(f"{self.platform}: HTTP {status}: {str(body)[:200] if body is not _NOT_JSON else ''}")
        if body is _NOT_JSON or not isinstance(body, dict):
            raise MalformedResponse(f"{self.platform}: response is not a JSON object")
        return body


def utc_from_timestamp(seconds: float | None) -> datetime | None:
    if seconds is None:
        return None
    try:
        return datetime.fromtimestamp(float(seconds), tz=UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        raise MalformedResponse(f"bad timestamp {seconds!r}") from None


def parse_iso_datetime(value: Any) -> datetime | None:
    """ISO 8601 as YouTube (``Z``) and Graph API (``+0000``) write it."""
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise MalformedResponse(f"bad datetime {value!r}")
    text = value.strip()
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        try:
            parsed = datetime.strptime(text, "%Y-%m-%dT%H:%M:%S%z")
        except ValueError:
            raise MalformedResponse(f"bad datetime {value!r}") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


def finish_after_call_failure(results: FetchResult, refs: Sequence[AccountRef], error: ProviderError) -> FetchResult:
    """Apply the whole-call failure rule: raise if nothing was decided yet, else keep what was."""
    if not results:
        raise error
    for ref in refs:
        results.setdefault(ref.key, error)
    return results
