//! Setting a task for a colleague (B3, `assign_tasks`): a manager's reminder for an
//! associate of the store, chosen from the staff listing, reaches the backend; the
//! manager's list shows it "for" the associate without counting it as theirs to do, and
//! the associate's copy says whom it is "from".

use clienteling_domain::api::Snapshot;
use clienteling_domain::task::{assignable, local_day_end, Task, TaskDraft, TaskTab};
use clienteling_domain::time::HOUR_MS;
use clienteling_domain::StoreId;

use crate::harness::{eventually, signed_in, Api, AVA};

/// The New York store manager.
const MIA: &str = "mia.thompson@clienteling.demo";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn b3_a_manager_sets_a_reminder_for_an_associate_shown_for_and_from_by_name() {
    let s = signed_in(MIA).await;
    let mia = s
        .core
        .session()
        .await
        .expect("the session reads")
        .expect("signed in")
        .staff;
    let store = StoreId::from("store-nyc");
    let staff = s
        .core
        .list_staff()
        .await
        .expect("a manager lists the staff");
    let colleagues = assignable(&staff, &store, &mia.id);
    let ava = colleagues
        .iter()
        .find(|member| member.login == AVA)
        .copied()
        .cloned()
        .expect("Ava is among the store's staff Mia may choose");
    assert!(
        colleagues.iter().all(|member| member.id != mia.id),
        "the picker lists the others; Mia is \"Me\""
    );
    let snapshot: Snapshot = s.api.get_json("/snapshot").await;
    let customer = snapshot
        .customers
        .into_iter()
        .find(|c| c.store_ids.contains(&store))
        .expect("a New York customer")
        .id;
    let due_at = s.core_now().plus_ms(HOUR_MS);
    let before = s
        .core
        .list_tasks(TaskTab::Today, 0)
        .await
        .expect("lists")
        .counts;
    let task = s
        .core
        .create_task(TaskDraft {
            customer_id: customer,
            conversation_id: None,
            assignee_id: Some(ava.id.clone()),
            note: "Ask about the coat".into(),
            due_at,
        })
        .await
        .expect("a manager sets a task for an associate");
    let tab = TaskTab::of(&task, s.core_now(), local_day_end(s.core_now(), 0));

    let listed = eventually("the backend accepts the task", || async {
        let list = s.core.list_tasks(tab, 0).await.expect("lists");
        list.items
            .iter()
            .any(|item| item.task.id == task.id && !item.pending)
            .then_some(list)
    })
    .await;
    let item = listed
        .items
        .iter()
        .find(|item| item.task.id == task.id)
        .expect("listed");
    assert_eq!(
        item.task.handoff(&mia.id).as_deref(),
        Some(format!("for {}", ava.name).as_str()),
        "Mia's list says whom the task is for"
    );
    assert_eq!(
        listed.counts, before,
        "a task for Ava is not Mia's to do: her counts leave it out"
    );

    let ava_api = Api::sign_in(&s.server.url(), AVA).await;
    let hers: Vec<Task> = ava_api.get_json("/tasks").await;
    let received = hers
        .iter()
        .find(|t| t.id == task.id)
        .expect("the backend gives Ava the task");
    assert_eq!(received.assignee_id, ava.id, "it is Ava's to do");
    assert_eq!(
        received.handoff(&ava.id).as_deref(),
        Some(format!("from {}", mia.name).as_str()),
        "Ava reads who set it"
    );
}
