//! IPC commands: `<verb>_<noun>`, each a thin call into the core mirroring it one to one.

mod assignment;
mod attributes;
mod conversations;
mod customers;
mod notes;
mod outreach;
mod session;
mod tasks;

/// The handler listing every command.
pub fn handler() -> impl Fn(tauri::ipc::Invoke) -> bool + Send + Sync + 'static {
    tauri::generate_handler![
        session::wait_for_core,
        session::report_painted_screen,
        session::list_demo_users,
        session::get_session,
        session::sign_in,
        session::sign_out,
        session::count_unsent_messages,
        session::count_unsent_work,
        session::switch_store,
        session::get_connection,
        conversations::list_inbox,
        conversations::start_conversation,
        conversations::open_conversation,
        conversations::show_chat_customer,
        conversations::list_older_messages,
        conversations::close_conversation,
        conversations::send_message,
        conversations::retry_message,
        customers::list_customers,
        customers::show_customer,
        customers::create_customer,
        customers::update_customer,
        attributes::list_attribute_definitions,
        attributes::show_customer_attributes,
        attributes::set_attribute,
        attributes::clear_attribute,
        notes::add_note,
        notes::edit_note,
        notes::delete_note,
        notes::pin_note,
        customers::refresh_recommendations,
        assignment::star_customer,
        assignment::unstar_customer,
        assignment::assign_customer,
        assignment::list_assignments,
        assignment::list_staff,
        outreach::list_templates,
        outreach::send_template,
        outreach::list_quick_replies,
        outreach::request_opt_in,
        outreach::list_consent_events,
        tasks::list_tasks,
        tasks::create_task,
        tasks::change_task,
    ]
}
