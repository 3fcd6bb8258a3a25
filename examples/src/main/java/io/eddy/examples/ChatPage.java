package io.eddy.examples;

/**
 * HelloHttp's {@code /chat} page: the tutorial's chat client in a browser. It opens a WebSocket to
 * {@code /chat} on the same host and port, shows who is in the room (the server's
 * {@code {"who": [...]}} messages) and every line as it comes, and sends what is typed.
 *
 * <p>Threading: a constant.
 */
final class ChatPage {

    static final String HTML = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>Eddy chat</title>
            <link rel="stylesheet" href="/static/style.css">
            <style>
            #room { display: flex; gap: 1em; }
            #lines { flex: 3; height: 22em; overflow-y: auto; border: 1px solid #ccc; padding: .5em; font-family: monospace; }
            #who { flex: 1; border: 1px solid #ccc; padding: .5em; }
            #who li { font-family: monospace; }
            .mine { color: #06c; }
            </style>
            </head>
            <body>
            <h1>Eddy chat</h1>
            <p>The tutorial's chat room, over a WebSocket: <code>chat-client</code> users on the TCP port and
            browsers here see each other's lines. <span id="state">connecting...</span></p>
            <div id="room">
            <div id="lines"></div>
            <div id="who"><strong>In the room</strong><ul id="members"></ul></div>
            </div>
            <form id="say"><input id="text" size="60" autocomplete="off" autofocus> <button>Send</button></form>
            <script>
            const lines = document.getElementById('lines');
            const members = document.getElementById('members');
            const state = document.getElementById('state');
            const socket = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/chat');
            function show(text, mine) {
              const line = document.createElement('div');
              line.textContent = text;
              if (mine) { line.className = 'mine'; }
              lines.appendChild(line);
              lines.scrollTop = lines.scrollHeight;
            }
            socket.onopen = () => { state.textContent = 'connected.'; };
            socket.onmessage = (event) => {
              if (event.data.startsWith('{')) {
                const who = JSON.parse(event.data).who;
                members.replaceChildren(...who.map((name) => { const li = document.createElement('li'); li.textContent = name; return li; }));
              } else {
                show(event.data, event.data.startsWith('got: '));
              }
            };
            socket.onclose = (event) => { state.textContent = 'closed (' + event.code + ').'; };
            document.getElementById('say').onsubmit = (event) => {
              event.preventDefault();
              const input = document.getElementById('text');
              if (input.value.trim() !== '' && socket.readyState === WebSocket.OPEN) { socket.send(input.value); }
              input.value = '';
            };
            </script>
            </body>
            </html>
            """;

    private ChatPage() {
    }
}
