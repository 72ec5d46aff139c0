//! Integration tests of the core engine against a real mock backend on loopback, with the
//! local copy in real SQLite files.

mod assignment;
mod attributes;
mod backfill;
mod catalog;
mod chat_pages;
mod clientbook_index;
mod contacts;
mod conversation_start;
mod customer_details;
mod customers;
mod harness;
mod inbox;
mod masked_search;
mod messaging;
mod notes;
mod offline;
mod orders;
mod outbox;
mod outreach;
mod proxy;
mod session_end;
mod stars;
mod task_assignee;
mod tasks;
mod unsent;
