"""Deliver: hand prepared messages to a transport and keep the ledger.

A ledger row becomes ``sent`` only after the transport accepted the message (the SMTP
server's 250, or the .eml file on disk). A 4xx or a lost connection leaves the row ``failed``
with attempts counted, to be retried by the next run; a 5xx for a recipient marks the row and
the address ``bounced``. Problems that would fail every message (server unreachable, sender
refused, login failed) stop the run with the rows untouched, so the next run continues.
"""

from __future__ import annotations

import contextlib
import os
import re
import smtplib
import socket
import ssl
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from digest.config import Config
from digest.errors import DeliveryError, PermanentDeliveryError, TransientDeliveryError


@dataclass(frozen=True)
class Envelope:
    sender: str  # bare address
    recipient: str
    data: bytes
    name: str = ""  # a file name for the outbox


class Transport(Protocol):
    def send(self, envelope: Envelope) -> None: ...

    def close(self) -> None: ...


class OutboxTransport:
    """Writes one .eml file per message, atomically (tmp file + rename)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise DeliveryError(
                f"outbox {directory}: cannot create it ({e.strerror}); check delivery.outbox_dir"
            ) from None

    def send(self, envelope: Envelope) -> None:
        name = re.sub(r"[^A-Za-z0-9@._+-]", "_", envelope.name or envelope.recipient)
        path = self.directory / f"{name}.eml"
        tmp = path.with_suffix(f".tmp{os.getpid()}.{threading.get_ident()}")
        try:
            tmp.write_bytes(envelope.data)
            tmp.replace(path)
        except OSError as e:
            raise DeliveryError(f"outbox {self.directory}: cannot write ({e.strerror})") from None

    def close(self) -> None:
        pass


class SmtpTransport:
    """One SMTP connection, opened on first use and reused; reopened once if dropped."""

    def __init__(
        self,
        host: str,
        port: int,
        *,
        security: str = "none",
        username: str = "",
        password: str = "",
        timeout: float = 30.0,
        context: ssl.SSLContext | None = None,
    ) -> None:
        self.host, self.port, self.security = host, port, security
        self.username, self.password, self.timeout = username, password, timeout
        self.context = context
        self._conn: smtplib.SMTP | None = None

    @property
    def where(self) -> str:
        return f"SMTP server {self.host}:{self.port}"

    def _connect(self) -> smtplib.SMTP:
        try:
            conn: smtplib.SMTP
            if self.security == "tls":
                conn = smtplib.SMTP_SSL(
                    self.host, self.port, timeout=self.timeout,
                    context=self.context or ssl.create_default_context(),
                )
            else:
                conn = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
            conn.ehlo_or_helo_if_needed()
            if self.security == "starttls":
                conn.starttls(context=self.context or ssl.create_default_context())
                conn.ehlo()
            if self.username:
                conn.login(self.username, self.password)
        except smtplib.SMTPAuthenticationError as e:
            raise DeliveryError(
                f"{self.where} refused the login for {self.username!r} ({e.smtp_code}); "
                "check smtp.username and DIGEST_SMTP_PASSWORD"
            ) from None
        except smtplib.SMTPNotSupportedError as e:
            raise DeliveryError(f"{self.where}: {e}; check smtp.security") from None
        except (OSError, smtplib.SMTPException) as e:
            raise DeliveryError(
                f"{self.where}: cannot connect ({_reason(e)}); check smtp.host, smtp.port "
                "and that the server is running"
            ) from None
        return conn

    def send(self, envelope: Envelope) -> None:
        for attempt in (1, 2):
            if self._conn is None:
                self._conn = self._connect()
            try:
                self._conn.sendmail(envelope.sender, [envelope.recipient], envelope.data)
                return
            except smtplib.SMTPServerDisconnected:
                self._conn = None
                if attempt == 2:
                    raise TransientDeliveryError(
                        f"{self.where} closed the connection", recipient=envelope.recipient
                    ) from None
            except smtplib.SMTPRecipientsRefused as e:
                code, msg = next(iter(e.recipients.values()))
                self._reset()
                raise _by_code(code, msg, envelope.recipient, address=True) from None
            except smtplib.SMTPSenderRefused as e:
                self._reset()
                raise DeliveryError(
                    f"{self.where} refused the sender {envelope.sender} ({e.smtp_code} "
                    f"{_text(e.smtp_error)}); check newsletter.sender"
                ) from None
            except smtplib.SMTPDataError as e:
                self._reset()
                raise _by_code(e.smtp_code, e.smtp_error, envelope.recipient) from None
            except (OSError, smtplib.SMTPException) as e:
                self._drop()
                raise TransientDeliveryError(
                    f"{self.where}: {_reason(e)}", recipient=envelope.recipient
                ) from None

    def _reset(self) -> None:
        try:
            if self._conn is not None:
                self._conn.rset()
        except (OSError, smtplib.SMTPException):
            self._drop()

    def _drop(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            with contextlib.suppress(OSError):
                conn.close()

    def close(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                conn.quit()
            except (OSError, smtplib.SMTPException):
                conn.close()


def _text(value: bytes | str) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else value


def _reason(e: BaseException) -> str:
    if isinstance(e, ConnectionRefusedError):
        return "connection refused"
    if isinstance(e, socket.timeout | TimeoutError):
        return "timed out"
    if isinstance(e, socket.gaierror):
        return f"name not found ({e.strerror})"
    return str(e) or type(e).__name__


def _by_code(
    code: int, msg: bytes | str, recipient: str, *, address: bool = False
) -> DeliveryError:
    text = f"{code} {_text(msg).strip()}"
    if 500 <= code < 600:
        return PermanentDeliveryError(
            f"refused: {text}", recipient=recipient, code=code, address_bad=address
        )
    return TransientDeliveryError(f"deferred: {text}", recipient=recipient, code=code)


def make_transport(cfg: Config) -> Transport:
    if cfg.delivery.transport == "smtp":
        s = cfg.smtp
        return SmtpTransport(
            s.host, s.port, security=s.security, username=s.username,
            password=cfg.smtp_password, timeout=s.timeout,
        )
    return OutboxTransport(cfg.resolve(cfg.delivery.outbox_dir))


@dataclass
class Job:
    """One message to hand over, and what to do with the outcome."""

    envelope: Callable[[], Envelope]  # built when its turn comes, not all at once
    on_sent: Callable[[float], None]
    on_failed: Callable[[DeliveryError], None]
    release: Callable[[], None] = lambda: None  # give it back unattempted


@dataclass
class Outcome:
    sent: int = 0
    failed: int = 0
    bounced: int = 0
    errors: list[str] = field(default_factory=list)
    aborted: str = ""


class RateLimiter:
    def __init__(self, per_second: float) -> None:
        self.interval = 1.0 / per_second if per_second > 0 else 0.0
        self._next = time.monotonic()
        self._lock = threading.Lock()

    def wait(self) -> None:
        if not self.interval:
            return
        with self._lock:
            now = time.monotonic()
            at = max(self._next, now)
            self._next = at + self.interval
        if at > now:
            time.sleep(at - now)


def run_jobs(
    next_jobs: Callable[[], list[Job]],
    make: Callable[[], Transport],
    *,
    workers: int = 1,
    rate_limit: float = 0.0,
    stop: threading.Event | None = None,
    on_progress: Callable[[], None] | None = None,
) -> Outcome:
    """Send jobs over ``workers`` transports until ``next_jobs`` returns none.

    ``next_jobs`` hands out claimed work in batches. A stop (SIGTERM) lets each worker
    finish and record the message in flight; a transport-wide error (server unreachable,
    sender refused) stops all workers. Either way, jobs taken but not attempted are
    released for the next run."""
    queue: deque[Job] = deque()
    refill = threading.Lock()
    halt = threading.Event()
    outcome = Outcome()
    lock = threading.Lock()
    limiter = RateLimiter(rate_limit)

    def stopped() -> bool:
        return halt.is_set() or (stop is not None and stop.is_set())

    def take() -> Job | None:
        with refill:
            if not queue and not stopped():
                queue.extend(next_jobs())
            return queue.popleft() if queue else None

    def deliver(job: Job, transport: Transport) -> None:
        limiter.wait()
        started = time.perf_counter()
        try:
            transport.send(job.envelope())
        except (TransientDeliveryError, PermanentDeliveryError) as e:
            job.on_failed(e)
            with lock:
                if isinstance(e, PermanentDeliveryError):
                    outcome.bounced += 1
                else:
                    outcome.failed += 1
                outcome.errors.append(str(e))
        else:
            job.on_sent(time.perf_counter() - started)
            with lock:
                outcome.sent += 1
        if on_progress is not None:
            on_progress()

    def worker() -> None:
        transport: Transport | None = None
        try:
            while not stopped() and (job := take()) is not None:
                try:
                    if transport is None:
                        transport = make()
                    deliver(job, transport)
                except DeliveryError as e:  # not about this message: about every message
                    job.release()
                    with lock:
                        outcome.aborted = outcome.aborted or str(e)
                    halt.set()
        finally:
            if transport is not None:
                transport.close()

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(max(1, workers))]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    while queue:  # claimed in a batch but never attempted
        queue.popleft().release()
    return outcome
