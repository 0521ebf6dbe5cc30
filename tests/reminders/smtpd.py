"""A real SMTP server (aiosmtpd on loopback) that can answer 250, 451, 550, stall or drop the connection."""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    data: bytes

    @property
    def message(self) -> EmailMessage:
        return message_from_bytes(self.data, policy=policy.default)  # type: ignore[return-value]

    @property
    def message_id(self) -> str:
        return str(self.message["Message-ID"])


@dataclass
class Behaviour:
    """What the server answers; tests change it between ticks."""

    refuse: set[str] = field(default_factory=set)  # 550 at RCPT
    tempfail: dict[str, int] = field(default_factory=dict)  # address → how many 451s at RCPT before 250
    stall_seconds: float = 0.0  # wait this long in DATA before answering
    drop_data: int = 0  # close the connection instead of answering the next N DATA commands
    on_data: Callable[[], None] | None = None  # run once, while the server holds the next DATA


class Handler:
    def __init__(self) -> None:
        self.behaviour = Behaviour()
        self.received: list[Received] = []
        self.answers: list[str] = []
        self.in_data = threading.Event()
        self._lock = threading.Lock()

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        behaviour = self.behaviour
        if address in behaviour.refuse:
            self.answers.append(f"550 {address}")
            return f"550 5.1.1 <{address}>: mailbox unavailable"
        if behaviour.tempfail.get(address, 0) > 0:
            behaviour.tempfail[address] -= 1
            self.answers.append(f"451 {address}")
            return "451 4.3.0 Try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        behaviour = self.behaviour
        self.in_data.set()
        if behaviour.drop_data > 0:
            behaviour.drop_data -= 1
            self.answers.append("drop")
            server.transport.close()
            return "421 closing"
        if behaviour.on_data is not None:
            action, behaviour.on_data = behaviour.on_data, None
            action()
        if behaviour.stall_seconds:
            await asyncio.sleep(behaviour.stall_seconds)
        with self._lock:
            self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), bytes(envelope.content)))
        self.answers.append("250")
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SmtpServer:
    def __init__(self) -> None:
        self.handler = Handler()
        self.port = free_port()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port, ready_timeout=10)

    def start(self) -> SmtpServer:
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}?timeout=2"

    @property
    def behaviour(self) -> Behaviour:
        return self.handler.behaviour

    @property
    def received(self) -> list[Received]:
        with self.handler._lock:
            return list(self.handler.received)

    def to(self, address: str) -> list[Received]:
        return [item for item in self.received if address in item.rcpt_tos]

    def reset(self) -> None:
        with self.handler._lock:
            self.handler.received.clear()
        self.handler.answers.clear()
        self.handler.behaviour = Behaviour()
        self.handler.in_data.clear()
