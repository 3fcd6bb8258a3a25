# The tutorial's UDP client, as the tutorial writes it. The only change: HOST and PORT come from
# the command line (sys.argv), so a test can point it at a server on an ephemeral port.
import socket
import sys

HOST = sys.argv[1]
PORT = int(sys.argv[2])

with socket.socket(type=socket.SOCK_DGRAM) as s:
    for i in range(100):
        data = '发送数据' + str(i)
        s.sendto(data.encode(), (HOST, PORT))
        data, address = s.recvfrom(1024)
        print(f"服务器的返回数据{data.decode()}")
