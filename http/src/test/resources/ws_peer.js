// Node's ws library as an independent WebSocket peer for Eddy's tests.
// usage: node ws_peer.js client URL SCENARIO   talks to an Eddy server, prints what it saw
//        node ws_peer.js server                serves an echo on a free port, prints the port, runs until stdin ends
'use strict';
const WebSocket = require('ws');

function client(url, scenario) {
  const compress = scenario === 'compressed';
  const ws = new WebSocket(url + (scenario === 'server-closes' ? '/ws/close' : '/ws/echo'),
    { perMessageDeflate: compress, maxPayload: 1 << 24 });
  const expected = [];
  ws.on('open', () => {
    if (scenario === 'server-closes') {
      return;
    }
    console.log('extensions ' + (ws.extensions || ''));
    ws.send('h\u00e9llo');
    ws.send(Buffer.from([0, 1, 2, 255]));
    ws.send('z'.repeat(200000));
    // Fragmented by hand: three frames of one message.
    ws.send('frag', { fin: false });
    ws.send('ment', { fin: false });
    ws.send('ed', { fin: true });
    ws.ping('p1');
  });
  ws.on('pong', (data) => console.log('pong ' + data.toString()));
  let received = 0;
  ws.on('message', (data, isBinary) => {
    received++;
    if (isBinary) {
      console.log('binary ' + data.toString('hex'));
    } else if (data.length > 1000) {
      console.log('big ' + data.length);
    } else {
      console.log('text ' + data.toString());
    }
    if (received === 4) {
      ws.close(1000, 'done');
    }
  });
  ws.on('close', (code, reason) => console.log('closed ' + code + ' ' + reason.toString()));
  ws.on('error', (e) => console.log('error ' + e.message));
}

function server() {
  const wss = new WebSocket.Server({ host: '127.0.0.1', port: 0, perMessageDeflate: true, maxPayload: 1 << 24 }, () => {
    console.log(wss.address().port);
  });
  wss.on('connection', (ws) => {
    ws.on('message', (data, isBinary) => {
      ws.send(data, { binary: isBinary });
      if (!isBinary && data.toString() === 'close please') {
        ws.close(4003, 'as asked');
      }
    });
  });
  process.stdin.on('end', () => process.exit(0));
  process.stdin.resume();
}

if (process.argv[2] === 'client') {
  client(process.argv[3], process.argv[4]);
} else {
  server();
}
