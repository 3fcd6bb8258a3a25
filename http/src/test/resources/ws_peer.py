"""Python's websockets library as an independent WebSocket peer for Eddy's tests.

usage: ws_peer.py client URL SCENARIO   talks to an Eddy server, prints what it saw
       ws_peer.py server                serves an echo on a free port, prints the port, runs until stdin ends
"""
import asyncio
import ssl
import sys

import websockets


async def client(url, scenario):
    if scenario == "echo":
        async with websockets.connect(url + "/ws/echo", compression=None, max_size=2**24) as ws:
            await ws.send("h\u00e9llo \U0001F30D")
            print("text", await ws.recv())
            await ws.send(bytes([0, 1, 2, 255]))
            print("binary", (await ws.recv()).hex())
            await ws.send(["frag", "ment", "ed \u00e9"])
            print("fragmented", await ws.recv())
            pong = await ws.ping(b"p1")
            await asyncio.wait_for(pong, 10)
            print("pong")
            big = "x" * 300000
            await ws.send(big)
            print("big", len(await ws.recv()))
            await ws.close()
            print("closed", ws.close_code)
    elif scenario == "compressed":
        async with websockets.connect(url + "/ws/echo", max_size=2**24) as ws:
            print("extensions", ",".join(e.name for e in ws.extensions))
            for i in range(3):
                text = "compress me " * 1000 + str(i)
                await ws.send(text)
                print("echoed", (await ws.recv()) == text)
            await ws.send(["a" * 5000, "b" * 5000])
            print("fragmented", len(await ws.recv()))
            await ws.close()
            print("closed", ws.close_code)
    elif scenario == "server-closes":
        async with websockets.connect(url + "/ws/close") as ws:
            try:
                await ws.recv()
            except websockets.ConnectionClosed as e:
                print("closed", e.code, e.reason)
    elif scenario == "too-big":
        async with websockets.connect(url + "/ws/echo", compression=None) as ws:
            await ws.send("y" * (2 * 1024 * 1024))
            try:
                await ws.recv()
            except websockets.ConnectionClosed as e:
                print("closed", e.code)
    elif scenario == "wss":
        context = ssl.create_default_context(cafile=sys.argv[4])
        async with websockets.connect(url + "/ws/echo", ssl=context, server_hostname="localhost") as ws:
            await ws.send("over tls")
            print("text", await ws.recv())
            await ws.send(["tls ", "fragments"])
            print("fragmented", await ws.recv())
            await ws.close()
            print("closed", ws.close_code)
    else:
        raise SystemExit("unknown scenario " + scenario)


async def echo(ws):
    async for message in ws:
        await ws.send(message)
        if message == "close please":
            await ws.close(4003, "as asked")


async def server():
    async with websockets.serve(echo, "127.0.0.1", 0, max_size=2**24) as served:
        port = served.sockets[0].getsockname()[1]
        print(port, flush=True)
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)


if __name__ == "__main__":
    if sys.argv[1] == "client":
        asyncio.run(client(sys.argv[2], sys.argv[3]))
    else:
        asyncio.run(server())
