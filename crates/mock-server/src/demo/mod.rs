//! The demo data: two stores, their staff, 200+ customers and 60+ conversations spread
//! over the last 150 days, generated deterministically from a seed with timestamps
//! relative to the server clock, and written (with every entity in the change log) into
//! an empty database.

mod attributes;
pub mod catalog;
mod lines;
mod notes;
pub mod orders;
mod seeding;
pub mod setup;
pub mod volume;

use std::collections::BTreeSet;

use clienteling_domain::api::{Conversation, Customer, Message, Role, Staff, Store};
use clienteling_domain::keywords::KeywordSettings;
use clienteling_domain::preview::message_preview;
use clienteling_domain::time::{DAY_MS, HOUR_MS, MINUTE_MS};
use clienteling_domain::{
    Channel, ConsentState, ConversationId, CustomerId, Direction, KeywordAction, MessageId,
    MessageKind, MessageStatus, StaffId, StoreId, Timestamp,
};

use crate::random::SplitMix64;
use crate::simulation::UNREACHABLE_REASON;
use lines::{Speaker, FIRST_NAMES, FRESH_QUESTIONS, LAST_NAMES, TOPICS};
pub use seeding::seed_if_empty;

/// The New York store.
pub const STORE_NYC: &str = "store-nyc";
/// The London store.
pub const STORE_LON: &str = "store-lon";

const NYC_CUSTOMERS: usize = 130;
const LON_CUSTOMERS: usize = 80;
const NYC_CONVERSATIONS: usize = 44;
const LON_CONVERSATIONS: usize = 22;

/// A generated conversation with its messages.
#[derive(Debug, Clone)]
pub struct DemoConversation {
    /// The conversation; `unread_count` is every store staff member's.
    pub conversation: Conversation,
    /// Its messages, oldest first.
    pub messages: Vec<Message>,
}

/// A consent change with its evidence, for the audit trail.
#[derive(Debug, Clone)]
pub struct DemoOptOut {
    /// Who opted out.
    pub customer_id: CustomerId,
    /// Of which store.
    pub store_id: StoreId,
    /// On which channel.
    pub channel: Channel,
    /// The keyword message.
    pub message_id: MessageId,
    /// When.
    pub at: Timestamp,
}

/// Everything the demo starts with.
#[derive(Debug, Clone)]
pub struct DemoData {
    /// The stores.
    pub stores: Vec<Store>,
    /// The staff, in sign-in screen order.
    pub staff: Vec<Staff>,
    /// The customers, with their consent for their store.
    pub customers: Vec<(Customer, ConsentState)>,
    /// The conversations.
    pub conversations: Vec<DemoConversation>,
    /// Opt-outs to audit.
    pub opt_outs: Vec<DemoOptOut>,
}

fn stores() -> Vec<Store> {
    vec![
        Store {
            id: STORE_NYC.into(),
            name: "Fifth Avenue".into(),
            country: "US".into(),
            channels: vec![Channel::Sms, Channel::Whatsapp, Channel::Email],
            clienteling_number: Some("+12125550100".into()),
        },
        Store {
            id: STORE_LON.into(),
            name: "Covent Garden".into(),
            country: "GB".into(),
            channels: vec![Channel::Sms, Channel::Email],
            clienteling_number: Some("+442079460100".into()),
        },
    ]
}

fn staff() -> Vec<Staff> {
    let member = |id: &str, name: &str, login: &str, role: Role, stores: &[&str]| Staff {
        id: id.into(),
        name: name.into(),
        login: format!("{login}@clienteling.demo"),
        role,
        store_ids: stores.iter().map(|s| StoreId::from(*s)).collect(),
    };
    vec![
        member(
            "staff-ava",
            "Ava Johnson",
            "ava.johnson",
            Role::Associate,
            &[STORE_NYC],
        ),
        member(
            "staff-liam",
            "Liam Chen",
            "liam.chen",
            Role::Associate,
            &[STORE_NYC],
        ),
        member(
            "staff-sofia",
            "Sofia Martinez",
            "sofia.martinez",
            Role::Associate,
            &[STORE_NYC],
        ),
        member(
            "staff-noah",
            "Noah Williams",
            "noah.williams",
            Role::Associate,
            &[STORE_LON],
        ),
        member(
            "staff-emma",
            "Emma Brown",
            "emma.brown",
            Role::Associate,
            &[STORE_LON],
        ),
        member(
            "staff-olivia",
            "Olivia Davis",
            "olivia.davis",
            Role::Associate,
            &[STORE_NYC, STORE_LON],
        ),
        member(
            "staff-mia",
            "Mia Thompson",
            "mia.thompson",
            Role::Manager,
            &[STORE_NYC],
        ),
        member(
            "staff-admin",
            "Alex Rivera",
            "admin",
            Role::Admin,
            &[STORE_NYC, STORE_LON],
        ),
        member(
            "staff-lucas",
            "Lucas Reed",
            "lucas.reed",
            Role::Seasonal,
            &[STORE_NYC],
        ),
    ]
}

/// Staff who look after customers of a store (associates and managers, not the admin,
/// nor seasonal staff, who are assigned no customers and wrote in no demo conversation).
fn store_team<'a>(staff: &'a [Staff], store: &StoreId) -> Vec<&'a Staff> {
    staff
        .iter()
        .filter(|s| {
            matches!(s.role, Role::Associate | Role::Manager) && s.store_ids.contains(store)
        })
        .collect()
}

fn email_of(first: &str, last: &str, taken: &mut BTreeSet<String>) -> String {
    let clean = |s: &str| {
        s.chars()
            .filter(char::is_ascii_alphabetic)
            .collect::<String>()
            .to_lowercase()
    };
    let base = format!("{}.{}", clean(first), clean(last));
    let mut candidate = format!("{base}@example.com");
    let mut n = 2;
    while !taken.insert(candidate.clone()) {
        candidate = format!("{base}{n}@example.com");
        n += 1;
    }
    candidate
}

/// Ids and addresses handed out so far.
#[derive(Default)]
struct Registry {
    customers: usize,
    conversations: usize,
    emails: BTreeSet<String>,
}

/// Customers of one store; `unreachable` lists the positions given a number the carrier
/// rejects (ending in 0000).
fn customers(
    rng: &mut SplitMix64,
    registry: &mut Registry,
    team: &[&Staff],
    store: &StoreId,
    count: usize,
    unreachable: &[(usize, &str)],
    now: Timestamp,
) -> Vec<Customer> {
    (0..count)
        .map(|i| {
            let first = *rng.pick(FIRST_NAMES);
            let last = *rng.pick(LAST_NAMES);
            let forced = unreachable
                .iter()
                .find(|(at, _)| *at == i)
                .map(|(_, phone)| (*phone).to_owned());
            let phone = forced.clone().unwrap_or_else(|| {
                if store.as_str() == STORE_NYC {
                    let area = if rng.chance(0.5) { "212" } else { "646" };
                    format!("+1{area}555{:04}", 1_000 + i)
                } else {
                    format!("+447700900{:03}", 100 + i)
                }
            });
            let email = (forced.is_none() && rng.chance(0.85))
                .then(|| email_of(first, last, &mut registry.emails));
            let mut assigned = vec![rng.pick(team).id.clone()];
            if rng.chance(0.2) {
                let second = rng.pick(team).id.clone();
                if !assigned.contains(&second) {
                    assigned.push(second);
                }
            }
            assigned.sort();
            registry.customers += 1;
            let updated_at = now.plus_ms(-rng.between(30, 700) * DAY_MS);
            Customer {
                id: CustomerId(format!("cust-{:04}", registry.customers)),
                store_ids: vec![store.clone()],
                first_name: first.to_owned(),
                last_name: last.to_owned(),
                phone: Some(phone),
                email,
                assigned_staff_ids: assigned,
                updated_at,
                gender: None,
                birth_date: None,
                signed_up_at: Some(signed_up(updated_at, registry.customers)),
                active: true,
            }
        })
        .collect()
}

/// When the `n`-th demo customer signed up: three months to two years before their
/// latest change, spread by their number (drawing nothing from the generator, so the rest
/// of the demo data stays as it was).
fn signed_up(updated_at: Timestamp, n: usize) -> Timestamp {
    let days = 90 + i64::try_from(n * 37 % 640).unwrap_or(0);
    updated_at.plus_ms(-days * DAY_MS)
}

/// How long ago the `k`-th most recent of `n` conversations was last active: minutes to
/// hours for the first five, then spread evenly up to 150 days.
fn age_of(k: usize, n: usize, rng: &mut SplitMix64) -> i64 {
    const RECENT_MINUTES: [i64; 5] = [6, 35, 140, 390, 1_100];
    if let Some(minutes) = RECENT_MINUTES.get(k) {
        return minutes * MINUTE_MS;
    }
    let span = (n - RECENT_MINUTES.len()).max(2) - 1;
    let position = (k - RECENT_MINUTES.len()) as i64;
    let days_ms = DAY_MS + position * 149 * DAY_MS / span as i64;
    (days_ms - rng.between(0, 10) * HOUR_MS).max(DAY_MS)
}

/// How a conversation has to end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ending {
    /// However the topics end.
    Natural,
    /// With customer questions nobody has read yet.
    Unread(usize),
    /// With STOP and the automated confirmation.
    OptedOut,
}

fn fill(template: &str, first: &str, staff: &str, store: &str) -> String {
    template
        .replace("{first}", first)
        .replace("{staff}", staff)
        .replace("{store}", store)
}

/// Lines of a conversation: whole topics one after another, cut to `count`.
fn script(rng: &mut SplitMix64, count: usize) -> Vec<(Speaker, &'static str, bool)> {
    let mut lines = Vec::with_capacity(count + 6);
    let mut previous = usize::MAX;
    while lines.len() < count {
        let mut topic = usize::try_from(rng.below(TOPICS.len() as u64)).unwrap_or(0);
        if topic == previous {
            topic = (topic + 1) % TOPICS.len();
        }
        previous = topic;
        for (i, (speaker, text)) in TOPICS[topic].iter().enumerate() {
            // The flag marks a topic's first line: days pass before it.
            lines.push((*speaker, *text, i == 0));
        }
    }
    lines.truncate(count);
    lines
}

struct ThreadPlan<'a> {
    id: ConversationId,
    customer: &'a Customer,
    consent: ConsentState,
    store: &'a Store,
    channel: Channel,
    age_ms: i64,
    ending: Ending,
}

fn conversation(
    rng: &mut SplitMix64,
    plan: &ThreadPlan<'_>,
    staff: &[Staff],
    now: Timestamp,
) -> DemoConversation {
    let total = usize::try_from(rng.between(3, 30)).unwrap_or(3);
    let extra = match plan.ending {
        Ending::Natural => 0,
        Ending::Unread(n) => n,
        Ending::OptedOut => 2,
    };
    let mut lines: Vec<(Direction, String, bool)> = Vec::with_capacity(total);
    let authors: Vec<&Staff> = plan
        .customer
        .assigned_staff_ids
        .iter()
        .filter_map(|id| staff.iter().find(|s| &s.id == id))
        .collect();
    let team = store_team(staff, &plan.store.id);
    let mut author_ids = Vec::new();
    let first_name = |s: &Staff| s.name.split(' ').next().unwrap_or_default().to_owned();
    let mut author = *authors.first().unwrap_or(&team[0]);
    for (speaker, text, new_topic) in script(rng, total.saturating_sub(extra).max(1)) {
        if new_topic && rng.chance(0.2) {
            author = *rng.pick(&team);
        }
        let line = fill(
            text,
            &plan.customer.first_name,
            &first_name(author),
            &plan.store.name,
        );
        match speaker {
            Speaker::Staff => {
                author_ids.push(Some(author.id.clone()));
                lines.push((Direction::Outbound, line, new_topic));
            }
            Speaker::Customer => {
                author_ids.push(None);
                lines.push((Direction::Inbound, line, new_topic));
            }
        }
    }
    match plan.ending {
        Ending::Natural => {}
        Ending::Unread(n) => {
            for i in 0..n {
                let question = *rng.pick::<&str>(FRESH_QUESTIONS);
                let question = fill(question, "", &first_name(author), "");
                author_ids.push(None);
                lines.push((Direction::Inbound, question, i == 0));
            }
        }
        Ending::OptedOut => {
            author_ids.push(None);
            lines.push((Direction::Inbound, "STOP".to_owned(), true));
            author_ids.push(None);
            let confirmation = KeywordSettings::standard(
                &plan.store.name,
                plan.store.clienteling_number.as_deref(),
            )
            .reply(KeywordAction::OptOut)
            .to_owned();
            lines.push((Direction::Automated, confirmation, false));
        }
    }

    // Times run backwards from the last activity: minutes within a topic, days between.
    let last = now.plus_ms(-plan.age_ms);
    let mut times = vec![last; lines.len()];
    for i in (0..lines.len().saturating_sub(1)).rev() {
        let gap = if lines[i + 1].2 {
            rng.between(2, 20) * DAY_MS + rng.between(0, 8) * HOUR_MS
        } else if lines[i + 1].0 == Direction::Automated {
            1_000
        } else {
            rng.between(2, 90) * MINUTE_MS
        };
        times[i] = times[i + 1].plus_ms(-gap);
    }

    let unreachable = plan.channel != Channel::Email
        && plan
            .customer
            .phone
            .as_deref()
            .is_some_and(|p| p.ends_with("0000"));
    let count = lines.len();
    let messages: Vec<Message> = lines
        .into_iter()
        .zip(author_ids)
        .zip(times)
        .enumerate()
        .map(|(i, (((direction, body, _), author), at))| {
            let (status, failure_reason) = match direction {
                Direction::Inbound => (MessageStatus::Received, None),
                Direction::Outbound if unreachable => {
                    (MessageStatus::Failed, Some(UNREACHABLE_REASON.to_owned()))
                }
                // The customer has not opened the latest WhatsApp message every time.
                _ if plan.channel.reports_read() && !(i + 1 == count && rng.chance(0.5)) => {
                    (MessageStatus::Read, None)
                }
                _ => (MessageStatus::Delivered, None),
            };
            Message {
                id: MessageId(format!(
                    "msg-{}-{:02}",
                    plan.id.as_str().trim_start_matches("conv-"),
                    i + 1
                )),
                conversation_id: plan.id.clone(),
                direction,
                kind: MessageKind::Text,
                body,
                status,
                failure_reason,
                author_staff_id: author,
                created_at: at,
                updated_at: at.plus_ms(if direction == Direction::Inbound {
                    0
                } else {
                    2_000
                }),
            }
        })
        .collect();

    let latest = messages
        .last()
        .map_or((last, String::new(), Direction::Inbound), |m| {
            (m.created_at, message_preview(&m.body), m.direction)
        });
    let window_opened_at = plan
        .channel
        .has_service_window()
        .then(|| {
            messages
                .iter()
                .rev()
                .find(|m| m.direction == Direction::Inbound)
                .map(|m| m.created_at)
        })
        .flatten();
    let participant_ids: BTreeSet<StaffId> = messages
        .iter()
        .filter_map(|m| m.author_staff_id.clone())
        .collect();
    let unread_count = match plan.ending {
        Ending::Unread(n) => u32::try_from(n).unwrap_or(0),
        _ => 0,
    };
    DemoConversation {
        conversation: Conversation {
            id: plan.id.clone(),
            store_id: plan.store.id.clone(),
            customer_id: plan.customer.id.clone(),
            channel: plan.channel,
            consent: plan.consent,
            window_opened_at,
            last_activity_at: latest.0,
            last_message_preview: latest.1,
            last_message_direction: latest.2,
            unread_count,
            participant_ids: participant_ids.into_iter().collect(),
        },
        messages,
    }
}

/// Where the special conversations of a store sit, by recency rank.
struct StorePlan {
    /// How many conversations.
    conversations: usize,
    /// The rank of the conversation with the store's first unreachable customer.
    unreachable_at: usize,
    /// The rank of the conversation whose customer opted out.
    opted_out_at: usize,
    /// The ranks of the conversations waiting unread.
    unread: &'static [usize],
}

/// New York customers also known to the London store (they shop in both).
const SHARED_CUSTOMERS: usize = 6;

/// Makes the last [`SHARED_CUSTOMERS`] New York customers known to London too (their
/// consent there unknown): a customer belongs to the company, not to one store.
fn share_between_stores(customers: &mut [(Customer, ConsentState)]) {
    let london = StoreId::from(STORE_LON);
    customers
        .iter_mut()
        .filter(|(customer, _)| customer.store_ids.first().map(StoreId::as_str) == Some(STORE_NYC))
        .rev()
        .take(SHARED_CUSTOMERS)
        .for_each(|(customer, _)| customer.store_ids.push(london.clone()));
}

/// The demo, generated from `seed` with times relative to `now`.
pub fn generate(seed: u64, now: Timestamp) -> DemoData {
    let mut rng = SplitMix64::new(seed);
    let stores = stores();
    let staff = staff();
    let mut registry = Registry::default();
    let mut customers_out = Vec::new();
    let mut conversations = Vec::new();
    let mut opt_outs = Vec::new();

    for store in &stores {
        let team = store_team(&staff, &store.id);
        let nyc = store.id.as_str() == STORE_NYC;
        let (count, unreachable): (usize, &[(usize, &str)]) = if nyc {
            (NYC_CUSTOMERS, &[(7, "+12125550000"), (64, "+16465550000")])
        } else {
            (LON_CUSTOMERS, &[(11, "+447700900000")])
        };
        let store_customers = customers(
            &mut rng,
            &mut registry,
            &team,
            &store.id,
            count,
            unreachable,
            now,
        );
        let plan = if nyc {
            StorePlan {
                conversations: NYC_CONVERSATIONS,
                unreachable_at: 11,
                opted_out_at: 15,
                unread: &[0, 1, 2],
            }
        } else {
            StorePlan {
                conversations: LON_CONVERSATIONS,
                unreachable_at: 4,
                opted_out_at: 6,
                unread: &[0, 1],
            }
        };

        // Customers in a seeded order; the unreachable one goes where the plan wants it.
        let mut order: Vec<usize> = (0..store_customers.len())
            .filter(|i| !unreachable.iter().any(|(at, _)| at == i))
            .collect();
        for i in (1..order.len()).rev() {
            let j = usize::try_from(rng.below(i as u64 + 1)).unwrap_or(0);
            order.swap(i, j);
        }
        let mut picks = order.into_iter();
        let mut consents: Vec<ConsentState> = store_customers
            .iter()
            .map(|_| {
                if rng.chance(0.6) {
                    ConsentState::OptedIn
                } else {
                    ConsentState::Unknown
                }
            })
            .collect();

        for rank in 0..plan.conversations {
            let channel = match (nyc, rank % 2, rank % 3) {
                (true, 0, _) => Channel::Whatsapp,
                (false, _, 2) => Channel::Email,
                _ => Channel::Sms,
            };
            let channel = if rank == plan.unreachable_at || rank == plan.opted_out_at {
                Channel::Sms
            } else {
                channel
            };
            let customer_index = if rank == plan.unreachable_at {
                unreachable[0].0
            } else {
                let fits =
                    |i: &usize| channel != Channel::Email || store_customers[*i].email.is_some();
                let Some(i) = picks.by_ref().find(fits) else {
                    break;
                };
                i
            };
            let ending = if rank == plan.opted_out_at {
                consents[customer_index] = ConsentState::OptedOut;
                Ending::OptedOut
            } else if let Some(position) = plan.unread.iter().position(|r| *r == rank) {
                Ending::Unread(1 + position % 2)
            } else {
                Ending::Natural
            };
            if consents[customer_index] == ConsentState::Unknown && rng.chance(0.8) {
                consents[customer_index] = ConsentState::OptedIn;
            }
            registry.conversations += 1;
            let plan_thread = ThreadPlan {
                id: ConversationId(format!("conv-{:03}", registry.conversations)),
                customer: &store_customers[customer_index],
                consent: consents[customer_index],
                store,
                channel,
                age_ms: age_of(rank, plan.conversations, &mut rng),
                ending,
            };
            let generated = conversation(&mut rng, &plan_thread, &staff, now);
            if ending == Ending::OptedOut {
                if let Some(stop) = generated
                    .messages
                    .iter()
                    .rev()
                    .find(|m| m.direction == Direction::Inbound)
                {
                    opt_outs.push(DemoOptOut {
                        customer_id: plan_thread.customer.id.clone(),
                        store_id: store.id.clone(),
                        channel,
                        message_id: stop.id.clone(),
                        at: stop.created_at,
                    });
                }
            }
            conversations.push(generated);
        }
        customers_out.extend(store_customers.into_iter().zip(consents));
    }

    share_between_stores(&mut customers_out);
    DemoData {
        stores,
        staff,
        customers: customers_out,
        conversations,
        opt_outs,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clienteling_domain::inbox::is_active;

    const NOW: Timestamp = Timestamp(1_760_000_000_000);

    #[test]
    fn the_demo_is_the_same_for_the_same_seed() {
        let (a, b) = (generate(42, NOW), generate(42, NOW));
        let bodies = |d: &DemoData| {
            d.conversations
                .iter()
                .flat_map(|c| c.messages.iter().map(|m| m.body.clone()))
                .collect::<Vec<_>>()
        };
        assert_eq!(bodies(&a), bodies(&b), "one seed, one demo");
        assert_ne!(
            bodies(&a),
            bodies(&generate(7, NOW)),
            "another seed, another demo"
        );
    }

    #[test]
    fn m11_demo_has_enough_data_spread_over_150_days() {
        let demo = generate(42, NOW);
        assert_eq!(demo.stores.len(), 2, "two stores");
        assert!(
            demo.customers.len() >= 200,
            "200+ customers, got {}",
            demo.customers.len()
        );
        assert!(demo.conversations.len() >= 60, "60+ conversations");
        let stale = demo
            .conversations
            .iter()
            .filter(|c| !is_active(c.conversation.last_activity_at, NOW))
            .count();
        assert!(
            stale >= 3,
            "some conversations are older than 120 days: {stale}"
        );
        let oldest = demo
            .conversations
            .iter()
            .map(|c| NOW.since(c.conversation.last_activity_at))
            .max()
            .unwrap_or(0);
        assert!(oldest <= 150 * DAY_MS, "nothing older than 150 days");
        for c in &demo.conversations {
            assert!(
                (3..=30).contains(&c.messages.len()),
                "{} has 3 to 30 messages, got {}",
                c.conversation.id,
                c.messages.len()
            );
            assert!(
                c.messages
                    .windows(2)
                    .all(|w| w[0].created_at < w[1].created_at),
                "{} messages are in time order",
                c.conversation.id
            );
        }
    }

    #[test]
    fn m1_m3_m5_m12_demo_shows_every_state() {
        let demo = generate(42, NOW);
        let conversations: Vec<&Conversation> =
            demo.conversations.iter().map(|c| &c.conversation).collect();
        let opted_out = conversations
            .iter()
            .filter(|c| c.consent == ConsentState::OptedOut)
            .count();
        assert_eq!(opted_out, 2, "two customers opted out");
        assert_eq!(demo.opt_outs.len(), 2, "each opt-out is audited");
        assert!(
            conversations.iter().any(|c| c.unread_count > 0),
            "a few conversations are unread"
        );
        let whatsapp = |open: bool| {
            conversations.iter().any(|c| {
                c.channel == Channel::Whatsapp
                    && clienteling_domain::ServiceWindow {
                        opened_at: c.window_opened_at,
                    }
                    .is_open(NOW)
                        == open
            })
        };
        assert!(whatsapp(true), "some WhatsApp windows are open");
        assert!(whatsapp(false), "some WhatsApp windows are closed");
        assert!(
            conversations
                .iter()
                .filter(|c| c.store_id.as_str() == STORE_LON)
                .all(|c| c.channel != Channel::Whatsapp),
            "Covent Garden has no WhatsApp"
        );
        let unreachable = demo
            .customers
            .iter()
            .filter(|(c, _)| c.phone.as_deref().is_some_and(|p| p.ends_with("0000")))
            .count();
        assert_eq!(unreachable, 3, "three customers have unreachable numbers");
        let emails: BTreeSet<_> = demo
            .customers
            .iter()
            .filter_map(|(c, _)| c.email.clone())
            .collect();
        assert_eq!(
            emails.len(),
            demo.customers
                .iter()
                .filter(|(c, _)| c.email.is_some())
                .count(),
            "emails are unique"
        );
        assert!(
            demo.customers.iter().any(|(c, _)| c.email.is_none()),
            "some customers have no email"
        );
    }
}
