"""Python's http.client as an independent client of an Eddy server.

Usage: python3 python_http_client.py HOST PORT SCENARIO [CAFILE]

With CAFILE it speaks https through Python's ssl module: it trusts the certificate authorities in
CAFILE only, checks that the server's certificate holds HOST, and offers the ALPN name http/1.1.

Each scenario talks to the server over one HTTPConnection and prints what it saw, one line per
exchange, for the Java test to judge. The local port of the connection's socket is printed where
it matters: the same port on every line means the connection was kept alive and reused (http.client
silently opens a new connection when the server closes the old one).
"""

import hashlib
import http.client
import ssl
import sys


def local_port(conn):
    return conn.sock.getsockname()[1]


def keep_alive(conn):
    for _ in range(5):
        conn.request("GET", "/port")
        response = conn.getresponse()
        body = response.read().decode("ascii").strip()
        print(response.status, body, local_port(conn))


def post(conn):
    conn.request("POST", "/echo", body="héllo, wörld".encode("utf-8"),
                 headers={"Content-Type": "text/plain; charset=utf-8"})
    response = conn.getresponse()
    print(response.status, response.read().decode("utf-8"), local_port(conn))
    # A body of unknown length: http.client sends it with chunked coding.
    conn.request("POST", "/echo", body=iter([b"first piece, ", b"second piece, ", b"last piece"]),
                 headers={"Content-Type": "text/plain"})
    response = conn.getresponse()
    print(response.status, response.read().decode("utf-8"), local_port(conn))


def chunked(conn):
    conn.request("GET", "/stream/300")
    response = conn.getresponse()
    body = response.read()
    print(response.status, response.getheader("Transfer-Encoding"), len(body), hashlib.sha256(body).hexdigest())


def head(conn):
    conn.request("HEAD", "/hello")
    response = conn.getresponse()
    print(response.status, response.getheader("Content-Length"), len(response.read()), local_port(conn))
    conn.request("GET", "/hello")
    response = conn.getresponse()
    print(response.status, response.read().decode("utf-8"), local_port(conn))


def too_large(conn):
    # http.client sends the whole body before it reads the answer, as many clients do.
    try:
        conn.request("POST", "/echo", body=b"x" * (12 * 1024 * 1024))
        response = conn.getresponse()
        print(response.status)
    except OSError as e:
        print("failed:", type(e).__name__, e)


def tls(conn):
    # Connects first, so that the handshake's outcome can be printed before the request.
    conn.connect()
    sock = conn.sock
    subject = dict(entry[0] for entry in sock.getpeercert()["subject"])
    print(sock.version(), sock.selected_alpn_protocol(), subject["commonName"])
    conn.request("GET", "/hello")
    response = conn.getresponse()
    print(response.status, response.read().decode("utf-8"), local_port(conn))


SCENARIOS = {"keep-alive": keep_alive, "post": post, "chunked": chunked, "head": head, "too-large": too_large,
             "tls": tls}


def main():
    host, port, scenario = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    if len(sys.argv) > 4:
        context = ssl.create_default_context(cafile=sys.argv[4])
        context.set_alpn_protocols(["http/1.1"])
        conn = http.client.HTTPSConnection(host, port, timeout=30, context=context)
    else:
        conn = http.client.HTTPConnection(host, port, timeout=30)
    try:
        SCENARIOS[scenario](conn)
    finally:
        conn.close()


if __name__ == "__main__":
    main()
