//! The app's screens: signing in, and the signed-in workspace with its sections — the
//! conversations (inbox and chat) and the customers (clientbook and profile).

pub mod conversations;
pub mod customers;
pub mod sign_in;
pub mod tasks;
pub mod workspace;
