//! The simulated messaging provider (statuses advance queued → sent → delivered → read on
//! WhatsApp, or fail for unreachable numbers) and the simulated customers who sometimes
//! answer a delivered message.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use clienteling_domain::{ConversationId, Direction, MessageId, MessageStatus};
use tokio::task::JoinSet;

use crate::config::SimulationConfig;
use crate::conversation::Thread;
use crate::messaging;
use crate::random::SplitMix64;
use crate::state::AppState;

/// Why the carrier rejects messages to the demo's unreachable numbers.
pub const UNREACHABLE_REASON: &str = "Unreachable number: the carrier rejected the message";

/// What customers answer, picked at random.
const REPLIES: &[&str] = &[
    "Thank you! I'll stop by on Saturday morning.",
    "Perfect, could you hold it for me until Friday?",
    "Great news, do you have it in a medium as well?",
    "Lovely, thanks for letting me know.",
    "Can I pick it up after work, around 6?",
    "Amazing! Is the navy one still available?",
    "Thanks! Could you send me a photo of the back?",
    "I'll come in tomorrow, see you then.",
    "Do you offer free alterations on that?",
    "Sounds good. Can my husband collect it for me?",
];

/// The provider and the customers, running as tasks that stop with the server.
pub struct Simulation {
    config: SimulationConfig,
    rng: Mutex<SplitMix64>,
    tasks: Mutex<JoinSet<()>>,
    stopped: AtomicBool,
}

impl Simulation {
    /// A simulation at the `config` pace whose choices follow `seed`.
    pub fn new(config: SimulationConfig, seed: u64) -> Self {
        Self {
            config,
            // A different stream than the demo data's, from the same seed.
            rng: Mutex::new(SplitMix64::new(seed ^ 0x5EED_CAFE)),
            tasks: Mutex::new(JoinSet::new()),
            stopped: AtomicBool::new(false),
        }
    }

    fn tasks(&self) -> MutexGuard<'_, JoinSet<()>> {
        self.tasks.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn rng(&self) -> MutexGuard<'_, SplitMix64> {
        self.rng.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn start<F>(&self, task: F)
    where
        F: std::future::Future<Output = ()> + Send + 'static,
    {
        if self.stopped.load(Ordering::SeqCst) {
            return;
        }
        let mut tasks = self.tasks();
        while tasks.try_join_next().is_some() {}
        tasks.spawn(task);
    }

    /// Hands attempt `attempt` of a message to the provider, which reports its statuses
    /// from wherever the message stands now.
    pub fn carry(&self, state: &AppState, id: MessageId, attempt: i64) {
        let state = state.clone();
        self.start(async move {
            if let Err(error) = carry(&state, &id, attempt).await {
                tracing::warn!(%error, message = %id, "the simulated provider gave up on a message");
            }
        });
    }

    /// Hands back to the provider every message it had not yet delivered (after a restart
    /// on a database file). Delivered WhatsApp messages stay as they are: whether the
    /// customer reads them is theirs to decide.
    pub async fn resume(&self, state: &AppState) -> Result<(), sqlx::Error> {
        let pending: Vec<(String, i64)> = sqlx::query_as(
            "SELECT id, attempt FROM messages
             WHERE direction IN ('outbound', 'automated') AND status IN ('queued', 'sent')
             ORDER BY created_at",
        )
        .fetch_all(state.pool())
        .await?;
        for (id, attempt) in pending {
            self.carry(state, MessageId(id), attempt);
        }
        Ok(())
    }

    /// Stops every provider and customer task.
    pub async fn stop(&self) {
        self.stopped.store(true, Ordering::SeqCst);
        let mut tasks = std::mem::take(&mut *self.tasks());
        tasks.abort_all();
        while tasks.join_next().await.is_some() {}
    }

    /// Maybe schedules the customer's answer to a delivered message.
    fn maybe_reply(&self, state: &AppState, conversation_id: ConversationId) {
        let reply = {
            let mut rng = self.rng();
            rng.chance(self.config.reply_probability)
                .then(|| *rng.pick(REPLIES))
        };
        let Some(body) = reply else {
            return;
        };
        let state = state.clone();
        let delay = Duration::from_millis(self.config.reply_after_ms);
        self.start(async move {
            tokio::time::sleep(delay).await;
            if let Err(error) = messaging::receive(&state, &conversation_id, body).await {
                tracing::warn!(%error, conversation = %conversation_id, "a simulated customer could not answer");
            }
        });
    }
}

/// Where a message stands for the provider.
#[derive(sqlx::FromRow)]
struct Parcel {
    conversation_id: String,
    direction: String,
    status: String,
    attempt: i64,
}

/// Walks one attempt of a message through the provider's statuses.
async fn carry(state: &AppState, id: &MessageId, attempt: i64) -> Result<(), sqlx::Error> {
    let config = state.simulation().config;
    loop {
        let parcel: Option<Parcel> = sqlx::query_as(
            "SELECT conversation_id, direction, status, attempt FROM messages WHERE id = ?",
        )
        .bind(id.as_str())
        .fetch_optional(state.pool())
        .await?;
        let Some(parcel) = parcel.filter(|p| p.attempt == attempt) else {
            return Ok(());
        };
        let conversation_id = ConversationId(parcel.conversation_id);
        let Some(thread) =
            Thread::load(&mut *state.pool().acquire().await?, &conversation_id).await?
        else {
            return Ok(());
        };
        let Some(from) = MessageStatus::parse(&parcel.status) else {
            return Ok(());
        };
        let (delay_ms, next) = match from {
            MessageStatus::Queued => (config.sent_after_ms, MessageStatus::Sent),
            MessageStatus::Sent if thread.is_unreachable() => {
                (config.delivered_after_ms, MessageStatus::Failed)
            }
            MessageStatus::Sent => (config.delivered_after_ms, MessageStatus::Delivered),
            MessageStatus::Delivered if thread.channel.reports_read() => {
                (config.read_after_ms, MessageStatus::Read)
            }
            _ => return Ok(()),
        };
        tokio::time::sleep(Duration::from_millis(delay_ms)).await;
        let reason = (next == MessageStatus::Failed).then_some(UNREACHABLE_REASON);
        let applied = messaging::report_status(state, id, attempt, next, reason).await?;
        if !applied {
            return Ok(());
        }
        if next == MessageStatus::Delivered
            && Direction::parse(&parcel.direction) == Some(Direction::Outbound)
        {
            state.simulation().maybe_reply(state, conversation_id);
        }
    }
}
