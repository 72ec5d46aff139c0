//! Pieces of the screens: header, inbox, chat, composer, banners and toasts.

pub mod app_header;
pub mod avatar;
pub mod chat_header;
pub mod chat_panel;
pub mod composer;
pub mod inbox_list;
pub mod inbox_tabs;
pub mod message_list;
pub mod toasts;
pub mod unread_banner;
