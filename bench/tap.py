"""A TCP pass-through on 127.0.0.1 that counts the bytes each way: what a phone's data plan pays,
headers and bodies, uploads included (the browser's DevTools count downloads only).

    with ByteTap("http://127.0.0.1:5000") as url:  # point the browser at url
        ...
        tap.down, tap.up                           # bytes since start or the last reset()
"""
import socket
import threading
from urllib.parse import urlsplit

BUFFER = 64 * 1024


class ByteTap:
    def __init__(self, upstream_url):
        target = urlsplit(upstream_url)
        self.upstream = (target.hostname, target.port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        self.lock = threading.Lock()
        self.down = self.up = 0

    def __enter__(self):
        threading.Thread(target=self.accept, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.listener.close()

    def reset(self):
        with self.lock:
            self.down = self.up = 0

    def accept(self):
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:  # closed: the tap is done
                return
            server = socket.create_connection(self.upstream)
            threading.Thread(target=self.pump, args=(client, server, "up"), daemon=True).start()
            threading.Thread(target=self.pump, args=(server, client, "down"), daemon=True).start()

    def pump(self, source, sink, direction):
        try:
            while data := source.recv(BUFFER):
                sink.sendall(data)
                with self.lock:
                    setattr(self, direction, getattr(self, direction) + len(data))
        except OSError:
            pass
        finally:  # one side closed: pass the close on, so the other pump ends too
            for sock in (source, sink):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
