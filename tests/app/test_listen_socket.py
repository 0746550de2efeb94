"""The listening socket of ``gongjian serve`` answers without Nagle's delay."""

from __future__ import annotations

import socket
import time

from app.commands.serve import bind


def test_accepted_connections_send_at_once() -> None:
    """TCP_NODELAY on the listener and on what it accepts (asyncio sets it on a socket
    whose proto is TCP): a response in two writes does not wait for a delayed ACK."""
    listener = bind("127.0.0.1", 0)
    try:
        assert listener.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
        assert listener.proto == socket.IPPROTO_TCP
        listener.listen()
        client = socket.create_connection(listener.getsockname())
        server, _ = listener.accept()
        with client, server:
            assert server.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
            client.sendall(b"ping")
            server.recv(4)
            started = time.perf_counter()
            for _ in range(5):  # request, then a reply in two parts, five times over
                server.sendall(b"head")
                server.sendall(b"body")
                got = b""
                while len(got) < 8:
                    got += client.recv(8)
                client.sendall(b"next")
                server.recv(4)
            assert time.perf_counter() - started < 0.15  # 5 x 40 ms with Nagle's delay
    finally:
        listener.close()
