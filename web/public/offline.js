// The offline page's retry, in a file of its own: the Content-Security-Policy forbids inline scripts.
const retry = () => {
  document.getElementById('status').textContent = 'Trying…';
  location.reload();
};
document.getElementById('retry').addEventListener('click', retry);
// Back as soon as the network is, and every 15 seconds meanwhile.
window.addEventListener('online', retry);
setInterval(retry, 15000);
