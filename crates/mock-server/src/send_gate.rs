//! A test hook on sends: a [`SendGate`] set in [`crate::ServerConfig::send_gate`] stops
//! every `POST /conversations/{id}/messages` at one point of its handling, tells the test
//! which message arrived, and holds the request until the test lets it go. Tests use it to
//! act while a send is in flight (kill the app, cut the network) without guessing at
//! timing. It exists only when configured, and nothing over HTTP reaches it.
//!
//! A held request whose client goes away (the connection closes) is dropped by the HTTP
//! server like any other unfinished request: held before storing, nothing is stored; held
//! before answering, the message is stored and only the answer is lost. The test learns
//! which happened from [`HeldSend::settled`].

use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use clienteling_domain::{ConversationId, MessageId};
use tokio::sync::{mpsc, oneshot, Mutex};

/// Where a [`SendGate`] holds a send.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SendStop {
    /// Before the backend looks at the request: nothing is stored yet.
    BeforeStoring,
    /// After the message is stored and committed (and the change published), before the
    /// answer goes back to the client.
    BeforeAnswering,
}

/// How a held send left the handler.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Settled {
    /// The handler ran to its end and answered (whether the client still listened or not).
    Answered,
    /// The handler was dropped before its end, because its client went away or the server
    /// shut down.
    Dropped,
}

/// Holds sends at one [`SendStop`] until the test releases them; cheap to clone (clones
/// share the gate). While closed (the start), every send stops; once [`SendGate::open`]
/// is called, later sends pass without stopping.
#[derive(Clone)]
pub struct SendGate {
    inner: Arc<Gate>,
}

struct Gate {
    stop: SendStop,
    open: AtomicBool,
    arrivals: mpsc::UnboundedSender<HeldSend>,
    held: Mutex<mpsc::UnboundedReceiver<HeldSend>>,
}

impl std::fmt::Debug for SendGate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SendGate")
            .field("stop", &self.inner.stop)
            .field("open", &self.inner.open.load(Ordering::SeqCst))
            .finish()
    }
}

impl PartialEq for SendGate {
    /// The same gate (clones of one another).
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.inner, &other.inner)
    }
}

/// A send stopped at the gate. Dropping it lets the request go on, like
/// [`HeldSend::release`].
#[derive(Debug)]
pub struct HeldSend {
    /// The conversation it is sent to.
    pub conversation_id: ConversationId,
    /// The message id it carries (the idempotency key).
    pub message_id: MessageId,
    release: Option<oneshot::Sender<()>>,
    settled: oneshot::Receiver<Settled>,
}

impl SendGate {
    /// A closed gate holding every send at `stop`.
    pub fn new(stop: SendStop) -> SendGate {
        let (arrivals, held) = mpsc::unbounded_channel();
        SendGate {
            inner: Arc::new(Gate {
                stop,
                open: AtomicBool::new(false),
                arrivals,
                held: Mutex::new(held),
            }),
        }
    }

    /// Waits for the next send to stop at the gate, in order of arrival.
    pub async fn next_held(&self) -> HeldSend {
        match self.inner.held.lock().await.recv().await {
            Some(held) => held,
            // The gate keeps a sender of its own channel, which therefore never closes.
            None => std::future::pending().await,
        }
    }

    /// Lets every later send through without stopping (sends already held stay held until
    /// released).
    pub fn open(&self) {
        self.inner.open.store(true, Ordering::SeqCst);
    }

    /// Runs `send`, the handling of a send of `message_id` to `conversation_id`, stopping
    /// at the gate's [`SendStop`] unless the gate is open.
    pub(crate) async fn guard<T>(
        &self,
        conversation_id: &ConversationId,
        message_id: &MessageId,
        send: impl Future<Output = T>,
    ) -> T {
        if self.inner.open.load(Ordering::SeqCst) {
            return send.await;
        }
        let (release_tx, release) = oneshot::channel();
        let (settled_tx, settled) = oneshot::channel();
        let mut passage = Passage(Some(settled_tx));
        // Should the channel be gone, the dropped `HeldSend` lets the request go on.
        let _ = self.inner.arrivals.send(HeldSend {
            conversation_id: conversation_id.clone(),
            message_id: message_id.clone(),
            release: Some(release_tx),
            settled,
        });
        // A release error means the test dropped its `HeldSend`, which lets it go on too.
        let mut release = Some(release);
        if self.inner.stop == SendStop::BeforeStoring {
            if let Some(release) = release.take() {
                let _ = release.await;
            }
        }
        let answer = send.await;
        if let Some(release) = release.take() {
            let _ = release.await;
        }
        passage.settle(Settled::Answered);
        answer
    }
}

impl HeldSend {
    /// Lets the request go on.
    pub fn release(&mut self) {
        if let Some(release) = self.release.take() {
            let _ = release.send(());
        }
    }

    /// Waits until the request has left the handler, answered or dropped. A request not
    /// released stays held meanwhile, so it can only end by being dropped.
    pub async fn settled(self) -> Settled {
        let HeldSend {
            release, settled, ..
        } = self;
        let outcome = settled.await.unwrap_or(Settled::Dropped);
        drop(release);
        outcome
    }
}

/// Reports how a held send ended: [`Settled::Dropped`] unless settled before it drops.
struct Passage(Option<oneshot::Sender<Settled>>);

impl Passage {
    fn settle(&mut self, outcome: Settled) {
        if let Some(report) = self.0.take() {
            let _ = report.send(outcome);
        }
    }
}

impl Drop for Passage {
    fn drop(&mut self) {
        self.settle(Settled::Dropped);
    }
}
