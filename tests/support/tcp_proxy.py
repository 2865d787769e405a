"""A TCP proxy the test can cut: the database "unreachable for a while", without touching the
database server itself.

    with TcpProxy("127.0.0.1", 5432) as proxy:   # clients connect to proxy.port
        proxy.cut()      # drop every open connection and refuse new ones
        proxy.restore()  # listen again on the same port

While cut, the listening socket is closed too, so a client trying to reconnect is refused
(ECONNREFUSED) exactly as with a database that went away.
"""

import contextlib
import selectors
import socket
import struct
import threading


class TcpProxy:
    def __init__(self, target_host, target_port, port=0):
        self.target = (target_host, target_port)
        self.port = port
        self._listener = None
        self._thread = None
        self._running = threading.Event()
        self._lock = threading.Lock()
        self._pairs = {}
        self.connections_made = 0

    def start(self):
        self._listener = socket.socket()
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", self.port))
        self.port = self._listener.getsockname()[1]
        self._listener.listen(64)
        self._running.set()
        self._thread = threading.Thread(target=self._accept_loop, args=(self._listener,),
                                        name="tcp-proxy", daemon=True)
        self._thread.start()
        return self

    def cut(self):
        """Close the listener and reset every proxied connection."""
        self._running.clear()
        listener, self._listener = self._listener, None
        if listener is not None:
            listener.close()
        if self._thread is not None:
            self._thread.join(5)
        with self._lock:
            pumps, self._pairs = list(self._pairs.values()), {}
        # Each pump notices within one select timeout that its pair is gone and resets both ends.
        for pump in pumps:
            pump.join(5)

    def restore(self):
        return self.start()

    stop = cut

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.cut()

    def _accept_loop(self, listener):
        listener.settimeout(0.1)
        while self._running.is_set():
            try:
                client, _address = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                _reset(client)
                continue
            client.settimeout(None)
            upstream.settimeout(None)
            pair = (client, upstream)
            pump = threading.Thread(target=self._pump, args=(pair,), daemon=True)
            with self._lock:
                self._pairs[pair] = pump
                self.connections_made += 1
            pump.start()

    def _pump(self, pair):
        client, upstream = pair
        peer = {client: upstream, upstream: client}
        with selectors.DefaultSelector() as selector:
            for sock in pair:
                selector.register(sock, selectors.EVENT_READ)
            try:
                while pair in self._pairs:
                    for key, _events in selector.select(0.1):
                        data = key.fileobj.recv(65536)
                        if not data:
                            raise ConnectionError
                        peer[key.fileobj].sendall(data)
            except (OSError, ValueError):
                pass
        with self._lock:
            self._pairs.pop(pair, None)
        for sock in pair:
            _reset(sock)


def _reset(sock):
    """Close with RST rather than FIN, as a crashed peer or a dead network path would."""
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    with contextlib.suppress(OSError):
        sock.close()
