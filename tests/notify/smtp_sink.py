#!/usr/bin/python3
"""A real SMTP server for the tests (aiosmtpd, Debian's python3-aiosmtpd).

Accepts every message on 127.0.0.1 and stores it as <folder>/NNNNNN.eml (the
envelope in X-Envelope-* headers, then the message as received). Writes the
port it listens on to <folder>/port once it accepts connections. With
--defer N the first N messages are answered "451 try again later", as a busy
mail server does. Runs until SIGTERM.
"""
import argparse
import os
import signal
import socket
import threading

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, folder, defer):
        self.folder = folder
        self.defer = defer
        self.count = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            if self.defer > 0:
                self.defer -= 1
                return "451 4.3.0 Try again later"
            self.count += 1
            name = os.path.join(self.folder, "%06d.eml" % self.count)
        temporary = name + ".tmp"
        with open(temporary, "wb") as out:
            out.write(b"X-Envelope-From: " + envelope.mail_from.encode() + b"\r\n")
            out.write(b"X-Envelope-To: " + ",".join(envelope.rcpt_tos).encode() + b"\r\n")
            out.write(envelope.original_content)
        os.rename(temporary, name)
        return "250 2.0.0 Message accepted for delivery"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("folder")
    parser.add_argument("--defer", type=int, default=0)
    args = parser.parse_args()
    os.makedirs(args.folder, exist_ok=True)
    handler = Sink(args.folder, args.defer)
    for _ in range(5):
        port = free_port()
        controller = Controller(handler, hostname="127.0.0.1", port=port)
        try:
            controller.start()
            break
        except OSError:
            continue
    else:
        raise SystemExit("smtp_sink: no free port")
    with open(os.path.join(args.folder, "port.tmp"), "w") as out:
        out.write(str(port))
    os.rename(os.path.join(args.folder, "port.tmp"), os.path.join(args.folder, "port"))
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
