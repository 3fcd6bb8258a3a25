# The tutorial's long-connection client, as the tutorial writes it. The only change: HOST and PORT
# come from the command line (sys.argv), so a test can point it at a server on an ephemeral port.
# At the end of its input, input() raises EOFError: that is the tutorial's code, kept as it is.
import socket
import sys

HOST = sys.argv[1]
PORT = int(sys.argv[2])

with socket.socket() as s:
    s.connect((HOST, PORT))
    s.sendall("正在连接主机".encode())
    while True:
        data = s.recv(1024)
        if not data:
            break
        print("收到数据",data.decode())
        content = input("输入信息：")
        s.sendall(content.encode())
