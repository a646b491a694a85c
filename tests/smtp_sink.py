"""A real SMTP server on loopback for the invitation tests (aiosmtpd from PyPI).

    python3 tests/smtp_sink.py MAILDIR [--tls CERT KEY --user NAME --password SECRET] [--delay SECS]

Binds 127.0.0.1 on a free port, prints that port on the first line of stdout, and writes
every message it accepts as MAILDIR/NNNN.eml (the bytes as received) with the envelope
recipients in MAILDIR/NNNN.rcpt. A recipient whose address starts with "reject" is refused
(550), so that tests can make one delivery fail. With --tls it offers STARTTLS with the given certificate,
requires it before MAIL, and accepts only the given login (AUTH PLAIN/LOGIN after STARTTLS).
With --delay it stores each message at once and answers the end of its content only
SECS seconds later, so that tests can kill the client, or let it time out, while the server
has accepted a message but not yet said so.
It stops when its standard input is closed (the test ends or drops the pipe).
"""

import argparse
import asyncio
import itertools
import pathlib
import socket
import ssl
import sys

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult


class Sink:
    def __init__(self, maildir: pathlib.Path, delay: float):
        self.maildir = maildir
        self.delay = delay
        self.counter = itertools.count(1)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower().startswith("reject"):
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        n = next(self.counter)
        data = envelope.original_content or envelope.content
        if isinstance(data, str):
            data = data.encode("utf-8")
        tmp = self.maildir / f"{n:04}.tmp"
        tmp.write_bytes(data)
        (self.maildir / f"{n:04}.rcpt").write_text("\n".join(envelope.rcpt_tos) + "\n")
        tmp.rename(self.maildir / f"{n:04}.eml")
        if self.delay:
            await asyncio.sleep(self.delay)
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("maildir", type=pathlib.Path)
    parser.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"))
    parser.add_argument("--user")
    parser.add_argument("--password")
    parser.add_argument("--delay", type=float, default=0.0)
    args = parser.parse_args()
    args.maildir.mkdir(parents=True, exist_ok=True)

    options = {}
    if args.tls:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(*args.tls)

        def authenticator(server, session, envelope, mechanism, auth_data):
            login = getattr(auth_data, "login", b"") or b""
            password = getattr(auth_data, "password", b"") or b""
            ok = login.decode() == args.user and password.decode() == args.password
            return AuthResult(success=ok, handled=False)

        options = dict(
            tls_context=context,
            require_starttls=True,
            authenticator=authenticator,
            auth_required=True,
            auth_require_tls=True,
        )

    controller = Controller(Sink(args.maildir, args.delay), hostname="127.0.0.1", port=free_port(), **options)
    controller.start()
    print(controller.port, flush=True)
    try:
        sys.stdin.read()
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
