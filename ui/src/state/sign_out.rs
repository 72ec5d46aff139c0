//! Signing out without losing work by accident (B1): the core refuses while work waits
//! (messages, notes, stars, attribute values, tasks), the associate then chooses to wait
//! until it is sent or to delete it, and a wait ends in the sign-out once nothing waits.

use clienteling_domain::unsent::UnsentWork;

/// Where signing out stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SignOutFlow {
    /// Nothing asked.
    #[default]
    Idle,
    /// Asking the core to sign out.
    Asking,
    /// The core refused: this much work would be lost; the associate chooses.
    Confirming(UnsentWork),
    /// Waiting for this much work to be sent, then signing out.
    Waiting(UnsentWork),
}

/// What the flow asks the screen to do next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignOutStep {
    /// Nothing more.
    Done,
    /// Ask the core to sign out, discarding unsent messages or not.
    SignOut {
        /// Whether unsent messages may be deleted.
        discard_unsent: bool,
    },
}

impl SignOutFlow {
    /// The associate pressed Sign out.
    pub fn start(self) -> (SignOutFlow, SignOutStep) {
        match self {
            SignOutFlow::Idle => (
                SignOutFlow::Asking,
                SignOutStep::SignOut {
                    discard_unsent: false,
                },
            ),
            busy => (busy, SignOutStep::Done),
        }
    }

    /// The core refused to sign out because messages wait (`unsent`, counted after the
    /// refusal): the associate must choose; if all were sent meanwhile, the flow ends and
    /// a second press signs out.
    pub fn refused(self, unsent: UnsentWork) -> SignOutFlow {
        if !unsent.is_empty() {
            SignOutFlow::Confirming(unsent)
        } else {
            SignOutFlow::Idle
        }
    }

    /// The associate chose to wait until the messages are sent.
    pub fn wait(self) -> SignOutFlow {
        match self {
            SignOutFlow::Confirming(count) => SignOutFlow::Waiting(count),
            other => other,
        }
    }

    /// The associate confirmed deleting the unsent messages.
    pub fn discard(self) -> (SignOutFlow, SignOutStep) {
        match self {
            SignOutFlow::Confirming(_) | SignOutFlow::Waiting(_) => (
                SignOutFlow::Asking,
                SignOutStep::SignOut {
                    discard_unsent: true,
                },
            ),
            other => (other, SignOutStep::Done),
        }
    }

    /// While waiting, the core counted `unsent` messages still waiting; at zero the
    /// sign-out goes ahead.
    pub fn counted(self, unsent: UnsentWork) -> (SignOutFlow, SignOutStep) {
        match self {
            SignOutFlow::Waiting(_) if unsent.is_empty() => (
                SignOutFlow::Asking,
                SignOutStep::SignOut {
                    discard_unsent: false,
                },
            ),
            SignOutFlow::Waiting(_) => (SignOutFlow::Waiting(unsent), SignOutStep::Done),
            other => (other, SignOutStep::Done),
        }
    }

    /// The associate cancelled: nothing is signed out or deleted.
    pub fn cancel(self) -> SignOutFlow {
        SignOutFlow::Idle
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clienteling_domain::message::messages_phrase;

    fn messages(messages: u32) -> UnsentWork {
        UnsentWork {
            messages,
            ..UnsentWork::default()
        }
    }

    #[test]
    fn b1_a_note_alone_waiting_holds_the_sign_out_too() {
        let note = UnsentWork {
            notes: 1,
            ..UnsentWork::default()
        };
        assert_eq!(
            SignOutFlow::Asking.refused(note),
            SignOutFlow::Confirming(note),
            "an unsent note is asked about like a message"
        );
        assert_eq!(
            SignOutFlow::Waiting(note).counted(note).0,
            SignOutFlow::Waiting(note),
            "the wait goes on while the note waits"
        );
    }

    #[test]
    fn a_refused_sign_out_asks_before_deleting_anything_b1() {
        let (flow, step) = SignOutFlow::Idle.start();
        assert_eq!(
            step,
            SignOutStep::SignOut {
                discard_unsent: false
            },
            "the first attempt never discards"
        );
        let flow = flow.refused(messages(3));
        assert_eq!(
            flow,
            SignOutFlow::Confirming(messages(3)),
            "the refusal's count is shown to the associate"
        );
        let (_, step) = flow.discard();
        assert_eq!(
            step,
            SignOutStep::SignOut {
                discard_unsent: true
            },
            "only the confirmation discards"
        );
        assert_eq!(
            SignOutFlow::Confirming(messages(3)).cancel(),
            SignOutFlow::Idle,
            "cancelling keeps everything"
        );
    }

    #[test]
    fn waiting_signs_out_once_the_last_message_is_sent_b1() {
        let flow = SignOutFlow::Confirming(messages(2)).wait();
        assert_eq!(flow, SignOutFlow::Waiting(messages(2)), "the wait starts");
        let (flow, step) = flow.counted(messages(1));
        assert_eq!(
            (flow, step),
            (SignOutFlow::Waiting(messages(1)), SignOutStep::Done),
            "one still waits: nothing happens yet"
        );
        let (_, step) = flow.counted(messages(0));
        assert_eq!(
            step,
            SignOutStep::SignOut {
                discard_unsent: false
            },
            "all sent: the sign-out goes ahead without discarding"
        );
        assert_eq!(
            SignOutFlow::Idle.counted(messages(0)).1,
            SignOutStep::Done,
            "a count with no wait under way signs nobody out"
        );
    }

    #[test]
    fn a_second_press_while_asking_does_nothing_b1() {
        assert_eq!(
            SignOutFlow::Asking.start().1,
            SignOutStep::Done,
            "no second request while one is on its way"
        );
        assert_eq!(
            SignOutFlow::Asking.refused(messages(0)),
            SignOutFlow::Idle,
            "all sent meanwhile: nothing left to confirm"
        );
        assert_eq!(messages_phrase(1), "1 message", "singular");
        assert_eq!(messages_phrase(4), "4 messages", "plural");
    }
}
