// Reports the page's first frame the way the app's UI reports its screens: once the frame
// after the one that draws it starts (`painted page` in the shell's log).
requestAnimationFrame(() => requestAnimationFrame(() => {
  window.__TAURI_INTERNALS__.invoke('report_painted_screen', { screen: 'page' }).catch(() => {});
}));
