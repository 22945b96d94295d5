"""A TCP bulk transfer whose bytes are checked end to end, run inside VM namespaces.

  bulk_transfer.py server PORT [--v6]        accepts one connection, prints "<bytes> <sha256>"
  bulk_transfer.py client HOST PORT BYTES SEED  sends BYTES pseudo-random bytes in writes of
                                               random sizes (1 .. 200000), prints the same line

Random write sizes make the VM's TCP produce every shape of segment: tiny pushes, MSS-sized
segments and 64 KB TSO super-frames, with PSH in odd places. Standard library only."""

import hashlib
import random
import socket
import sys


def server(port, v6):
    family = socket.AF_INET6 if v6 else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("::" if v6 else "0.0.0.0", port))
        s.listen(1)
        print("listening", flush=True)
        s.settimeout(60)
        conn, _ = s.accept()
        conn.settimeout(60)
        digest, total = hashlib.sha256(), 0
        with conn:
            while True:
                chunk = conn.recv(1 << 20)
                if not chunk:
                    break
                digest.update(chunk)
                total += len(chunk)
    print(total, digest.hexdigest(), flush=True)


def client(host, port, size, seed):
    rng = random.Random(seed)
    data = rng.randbytes(size)
    digest = hashlib.sha256(data).hexdigest()
    with socket.create_connection((host, port), timeout=60) as s:
        sent = 0
        while sent < size:
            n = min(rng.randint(1, 200000), size - sent)
            s.sendall(data[sent:sent + n])
            sent += n
        s.shutdown(socket.SHUT_WR)
        while s.recv(1 << 16):
            pass
    print(size, digest, flush=True)


if __name__ == "__main__":
    if sys.argv[1] == "server":
        server(int(sys.argv[2]), "--v6" in sys.argv)
    else:
        client(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]))
