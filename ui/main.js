// Loads the wasm UI. A static module (no inline script) so the CSP can stay
// `script-src 'self' 'wasm-unsafe-eval'`.
import init from './app.js';

init().catch((error) => {
  console.error(error);
  document.body.textContent = `Clienteling Associate could not start: ${error}`;
});
