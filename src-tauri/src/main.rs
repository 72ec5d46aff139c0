//! Desktop entry point of Clienteling Associate: hands over to [`clienteling_app::run`].

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    clienteling_app::run();
}
