// Applied before first paint so a remembered theme never flashes the other one. A file rather than an
// inline script: the server's Content-Security-Policy allows scripts from the app's own origin only.
try {
  const theme = localStorage.getItem('parley.theme');
  if (theme === 'light' || theme === 'dark') document.documentElement.dataset.theme = theme;
} catch {}
