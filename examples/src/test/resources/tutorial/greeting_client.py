# The tutorial's first client, as the tutorial writes it. The only change: HOST and PORT come
# from the command line (sys.argv), so a test can point it at a server on an ephemeral port.
import socket
import sys

HOST = sys.argv[1]
PORT = int(sys.argv[2])

with socket.socket() as sock:
    sock.connect((HOST, PORT))
    print(f"connecting server {HOST}:{PORT}")
    sock.sendall(b"hello")
    data = sock.recv(1024)
print(f"服务器返回结果：{data.decode()}")
