"""A small HTTP/1.1 server from Python's standard library, for the Eddy client's tests.

Usage: python3 python_http_server.py [CHAIN KEY]

With CHAIN and KEY (PEM files: the certificate chain, and its key) it serves https through Python's
ssl module, and agrees on the ALPN name http/1.1. It binds 127.0.0.1 on a free port, prints the
port on the first line, then serves until killed:
  GET /length   a body framed by Content-Length
  GET /chunked  a chunked body with a trailer
  GET /close    a body that ends when the connection closes (no length)
  HEAD /length  the head of /length, without a body
  POST /echo    the body back
  GET /connections  how many connections the server has accepted
"""
import ssl
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

lock = threading.Lock()
connections = [0]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def setup(self):
        super().setup()
        with lock:
            connections[0] += 1

    def log_message(self, *args):
        pass

    def send_body(self, body, content_type="text/plain; charset=utf-8"):
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_HEAD(self):
        self.do_GET()

    def do_GET(self):
        if self.path == "/length":
            self.send_body(b"hello from python")
        elif self.path == "/chunked":
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for piece in (b"hello ", b"from ", b"python"):
                self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
            self.wfile.write(b"0\r\nX-Checksum: 17\r\n\r\n")
        elif self.path == "/close":
            self.send_response(200)
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(b"until the end")
            self.close_connection = True
        elif self.path == "/connections":
            with lock:
                count = connections[0]
            self.send_body(str(count).encode())
        else:
            self.send_error(404)

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.send_body(body, self.headers.get("Content-Type", "application/octet-stream"))


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
if len(sys.argv) > 2:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(sys.argv[1], sys.argv[2])
    context.set_alpn_protocols(["http/1.1"])
    # Each accepted connection does its handshake on its own thread, when the handler first reads.
    server.socket = context.wrap_socket(server.socket, server_side=True, do_handshake_on_connect=False)
print(server.server_address[1], flush=True)
server.serve_forever()
