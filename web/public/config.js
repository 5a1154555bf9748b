// Runtime settings, read before the app starts. Edit this file on a deployed copy of dist/:
// serverUrl '' means "the origin that served this page". To host the client on another origin,
// set it to the server's URL (e.g. 'https://chat.example.org') and list this page's origin in the
// server's CORS_ORIGINS.
window.PARLEY_CONFIG = { serverUrl: '' };
