//! The app's screens: signing in, and the conversations (inbox and chat).

pub mod conversations;
pub mod sign_in;
