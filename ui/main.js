// Loads the wasm UI. A static module (no inline script) so the CSP can stay
// `script-src 'self' 'wasm-unsafe-eval'`. The static splash is painted first: the wasm is
// fetched and compiled only once the frame that draws the splash has started (compiling
// it took the web process's CPU from that frame on the 2-core bench machine). Then it
// reports that first frame (`painted splash` in the shell's log, the start-up bench's
// signal) the way the UI reports its screens, once the frame after it starts.
import init from './app.js';

requestAnimationFrame(() => {
  setTimeout(() => {
    init().catch((error) => {
      console.error(error);
      document.body.textContent = `Clienteling Associate could not start: ${error}`;
    });
  }, 0);
  requestAnimationFrame(() => {
    window.__TAURI_INTERNALS__.invoke('report_painted_screen', { screen: 'splash' }).catch(() => {});
  });
});
