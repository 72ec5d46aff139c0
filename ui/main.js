// Loads the wasm UI. A static module (no inline script) so the CSP can stay
// `script-src 'self' 'wasm-unsafe-eval'`. Before that it reports the first frame of the
// static splash (`painted splash` in the shell's log, the start-up bench's signal) once the
// frame after the one that draws it starts, as the UI does for its screens.
import init from './app.js';

requestAnimationFrame(() => requestAnimationFrame(() => {
  window.__TAURI_INTERNALS__.invoke('report_painted_screen', { screen: 'splash' }).catch(() => {});
}));

init().catch((error) => {
  console.error(error);
  document.body.textContent = `Clienteling Associate could not start: ${error}`;
});
