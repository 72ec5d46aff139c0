//! The inbox as the UI holds it: the chosen scope, the latest page the core listed, and
//! how a changed conversation updates its row and the Chat badge between two listings
//! (M11, M12).

use clienteling_domain::api::Conversation;
use clienteling_domain::inbox::InboxScope;
use clienteling_domain::view::{InboxItem, InboxPage};
use clienteling_domain::ApiError;

/// The inbox pane's state.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct InboxState {
    /// The inbox the associate chose (My Inbox or Store Inbox).
    pub scope: InboxScope,
    /// The latest page listed, possibly of the previous scope while the new one loads.
    pub page: Option<InboxPage>,
    /// Why the latest listing of `scope` failed.
    pub error: Option<ApiError>,
    /// Bumped whenever the listing should be fetched again.
    pub revision: u32,
}

impl InboxState {
    /// A fresh inbox showing `scope`.
    pub fn new(scope: InboxScope) -> Self {
        Self {
            scope,
            ..Self::default()
        }
    }

    /// The rows of the chosen scope, empty while it loads.
    pub fn rows(&self) -> &[InboxItem] {
        match &self.page {
            Some(page) if page.scope == self.scope => &page.items,
            _ => &[],
        }
    }

    /// Whether the chosen scope has not been listed yet.
    pub fn is_loading(&self) -> bool {
        self.error.is_none() && self.page.as_ref().map(|page| page.scope) != Some(self.scope)
    }

    /// Unread inbound messages across the store (the Chat badge); the latest page knows it
    /// whichever scope it lists.
    pub fn total_unread(&self) -> u32 {
        self.page.as_ref().map_or(0, |page| page.total_unread)
    }

    /// Takes a freshly listed page, unless it lists a scope no longer chosen.
    pub fn accept_page(&mut self, page: InboxPage) -> bool {
        if page.scope != self.scope {
            return false;
        }
        self.page = Some(page);
        self.error = None;
        true
    }

    /// Applies a changed conversation to the page held now.
    pub fn apply_conversation(&mut self, conversation: &Conversation) {
        if let Some(page) = self.page.as_mut() {
            apply_conversation(page, conversation);
        }
    }
}

/// Updates the row of `conversation` in `page` (keeping the customer's name), moves it to
/// its place by newest activity and adjusts the store's unread total by the change of its
/// count. Returns whether the page had that row; a conversation new to the page arrives
/// with the next listing.
pub fn apply_conversation(page: &mut InboxPage, conversation: &Conversation) -> bool {
    let Some(row) = page
        .items
        .iter_mut()
        .find(|item| item.conversation.id == conversation.id)
    else {
        return false;
    };
    let before = row.conversation.unread_count;
    row.conversation = conversation.clone();
    page.total_unread = (page.total_unread + conversation.unread_count).saturating_sub(before);
    page.items.sort_by(|a, b| {
        b.conversation
            .last_activity_at
            .cmp(&a.conversation.last_activity_at)
    });
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::fixtures::{conversation, inbox_page};

    #[test]
    fn a_changed_conversation_moves_to_the_top_and_recounts_the_badge_m11_m12() {
        let mut page = inbox_page(
            InboxScope::Store,
            vec![conversation("c1", 300, 0), conversation("c2", 200, 1)],
        );
        let mut newer = conversation("c2", 400, 3);
        newer.last_message_preview = "Is the scarf back?".into();

        assert!(
            apply_conversation(&mut page, &newer),
            "the row is on the page"
        );
        let order: Vec<&str> = page
            .items
            .iter()
            .map(|i| i.conversation.id.as_str())
            .collect();
        assert_eq!(
            order,
            ["c2", "c1"],
            "newest activity first (M11) after the change"
        );
        assert_eq!(
            page.total_unread, 3,
            "the badge grows by the row's new unread (1 → 3) (M12)"
        );
        assert_eq!(
            page.items[0].customer_name, "Customer c2",
            "the row keeps its customer's name"
        );
        assert_eq!(
            page.items[0].conversation.last_message_preview, "Is the scarf back?",
            "the row shows the latest preview"
        );
    }

    #[test]
    fn reading_a_conversation_lowers_the_badge_without_going_below_zero_m12() {
        let mut page = inbox_page(InboxScope::Store, vec![conversation("c1", 100, 2)]);
        page.total_unread = 1;
        apply_conversation(&mut page, &conversation("c1", 100, 0));
        assert_eq!(
            page.total_unread, 0,
            "a total behind the rows saturates at zero instead of wrapping"
        );
    }

    #[test]
    fn a_conversation_missing_from_the_page_waits_for_the_next_listing_m11() {
        let mut page = inbox_page(InboxScope::Mine, vec![conversation("c1", 100, 0)]);
        assert!(
            !apply_conversation(&mut page, &conversation("c9", 500, 4)),
            "an unknown row is reported as missing"
        );
        assert_eq!(
            page.items.len(),
            1,
            "no row without a customer name is made up"
        );
        assert_eq!(page.total_unread, 0, "the total waits for the listing");
    }

    #[test]
    fn a_page_of_a_scope_no_longer_chosen_is_ignored_m11() {
        let mut inbox = InboxState::new(InboxScope::Mine);
        assert!(inbox.is_loading(), "nothing listed yet");
        assert!(
            !inbox.accept_page(inbox_page(InboxScope::Store, vec![])),
            "a late Store page must not show under My Inbox"
        );
        assert!(inbox.is_loading(), "still waiting for My Inbox");
        assert!(
            inbox.accept_page(inbox_page(InboxScope::Mine, vec![conversation("c1", 1, 0)])),
            "the chosen scope's page is taken"
        );
        assert_eq!(inbox.rows().len(), 1, "its rows show");
        assert!(!inbox.is_loading(), "loaded");
    }
}
