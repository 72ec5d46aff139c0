//! Pieces of the screens: header, inbox, chat, composer (with quick replies and the
//! template picker), consent drawers, banners and toasts.

pub mod app_header;
pub mod avatar;
pub mod chat_header;
pub mod chat_panel;
pub mod composer;
pub mod consent_history;
pub mod contact_notice;
pub mod focus;
pub mod history_progress;
pub mod icon;
pub mod inbox_list;
pub mod inbox_tabs;
pub mod list_states;
pub mod message_list;
pub mod opt_in_request;
pub mod quick_replies;
pub mod reminder_form;
pub mod remote_state;
pub mod section_nav;
pub mod sign_out;
pub mod template_picker;
pub mod toasts;
pub mod unread_banner;
