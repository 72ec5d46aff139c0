//! Entry point of the wasm module: `main.js` loads `app.js`, whose start runs this.

fn main() {
    clienteling_ui::start();
}
