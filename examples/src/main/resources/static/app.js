// Fetches /hello from the same server and shows the answer: proof that the page, its script and
// the handler were all served by one event loop.
fetch('/hello')
  .then(response => response.text())
  .then(text => { document.getElementById('hello').textContent = 'The server says: ' + text; })
  .catch(error => { document.getElementById('hello').textContent = 'fetch failed: ' + error; });
