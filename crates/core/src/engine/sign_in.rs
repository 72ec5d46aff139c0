//! Signing in and out: the demo accounts, a fresh sign-in from the backend's snapshot or
//! the same staff member taking their stored session up again (B1), signing out (refused
//! while messages wait unless told to discard them), and switching the store shown.

use clienteling_domain::api::{DemoUser, LoginRequest, Session};
use clienteling_domain::unsent::UnsentWork;
use clienteling_domain::view::{Connection, SessionView};
use clienteling_domain::StoreId;

use super::{locked, Core, Workers};
use crate::backend::RequestError;
use crate::engine::session;
use crate::error::CoreError;
use crate::outbox::storage as outbox;

impl Core {
    /// The demo accounts the sign-in screen lists; none from a backend that is not in demo
    /// mode (it answers 404 there).
    pub async fn list_demo_users(&self) -> Result<Vec<DemoUser>, CoreError> {
        match self.inner.backend.demo_users().await {
            Ok(users) => Ok(users),
            Err(RequestError::Refused { status: 404, .. }) => Ok(Vec::new()),
            Err(error) => Err(error.into()),
        }
    }

    /// The signed-in session, if any.
    pub async fn session(&self) -> Result<Option<SessionView>, CoreError> {
        Ok(self
            .inner
            .stored_session()
            .await?
            .map(|stored| self.inner.session_view(stored)))
    }

    /// Signs in. The same staff member as the stored session (whose token the backend
    /// refused, say) takes it up again: the local copy stays, the workers catch up from
    /// the cursor and send what the outbox holds (B1). Anyone else starts afresh: the
    /// previous local copy and its unsent work are deleted, never sent under the new
    /// token, and the backend's first-screen snapshot of the staff member's stores (with
    /// their templates and quick replies) fills a new one, whatever the size of their
    /// history: the workers follow the feed from the snapshot's cursor and backfill the
    /// older history in the background. On failure nothing of the new session is kept.
    pub async fn sign_in(&self, login: &str, password: &str) -> Result<SessionView, CoreError> {
        let request = LoginRequest {
            login: login.trim().to_owned(),
            password: password.to_owned(),
        };
        let session = self.inner.backend.sign_in(&request).await?;
        let store_id = first_store(&session)?;
        let mut workers = self.inner.workers.lock().await;
        if let Some(running) = workers.take() {
            running.stop().await;
        }
        let resumed = self
            .inner
            .stored_session()
            .await?
            .is_some_and(|stored| stored.staff.id == session.staff.id);
        if resumed {
            let mut tx = self.inner.db.write().await?;
            session::resume(&mut tx, &session, &store_id).await?;
            tx.commit().await?;
        } else {
            *locked(&self.inner.open_conversation) = None;
            let snapshot = crate::history::snapshot::fetch(&self.inner.backend, &session.token)
                .await
                .map_err(CoreError::from)?;
            crate::history::snapshot::store(
                &self.inner.db,
                &session,
                &store_id,
                snapshot,
                self.inner.clock.now(),
            )
            .await?;
            // The backend has just answered; the live stream reports any break.
            self.inner.set_connection(Connection::Online);
        }
        let store_ids: Vec<StoreId> = session.stores.iter().map(|s| s.id.clone()).collect();
        self.inner
            .refresh_setup_or_keep(&session.token, &store_ids)
            .await;
        self.inner
            .refresh_customer_config_or_keep(&session.token)
            .await;
        *workers = Some(Workers::start(&self.inner));
        drop(workers);
        let stored = self.inner.require_session().await?;
        Ok(self.inner.session_view(stored))
    }

    /// Ends the session after the backend refused its token to a command: the workers
    /// stop, the local copy and the outbox stay (B1).
    pub(crate) async fn end_refused_session(&self) -> Result<(), CoreError> {
        if let Some(running) = self.inner.workers.lock().await.take() {
            running.stop().await;
        }
        self.inner.end_refused_session().await
    }

    /// Messages written on this device that the backend has not accepted yet (B1).
    pub async fn count_unsent_messages(&self) -> Result<u32, CoreError> {
        outbox::unsent_messages(&mut *self.inner.read().await?).await
    }

    /// Everything done on this device that the backend has not accepted yet, by kind:
    /// messages, notes, stars, attribute values, tasks (B1).
    pub async fn count_unsent_work(&self) -> Result<UnsentWork, CoreError> {
        outbox::unsent_work(&mut *self.inner.read().await?).await
    }

    /// Signs out: stops the workers, revokes the token at the backend when it can be
    /// reached, and deletes the local copy. Unsent work (messages, notes, stars, attribute
    /// values, tasks) is deleted only with `discard_unsent`; without it, signing out is
    /// refused while any waits, saying what (B1).
    pub async fn sign_out(&self, discard_unsent: bool) -> Result<(), CoreError> {
        let unsent = self.count_unsent_work().await?;
        if !unsent.is_empty() && !discard_unsent {
            return Err(CoreError::UnsentMessages(unsent));
        }
        let mut workers = self.inner.workers.lock().await;
        if let Some(running) = workers.take() {
            running.stop().await;
        }
        if let Some(stored) = self.inner.stored_session().await? {
            if !stored.ended {
                if let Err(error) = self.inner.backend.sign_out(&stored.token).await {
                    tracing::warn!(%error, "the backend did not revoke the token; signing out here anyway");
                }
            }
        }
        self.inner.discard_session().await
    }

    /// Shows another of the staff member's stores, refreshing its templates and quick
    /// replies when the backend can be reached.
    pub async fn switch_store(&self, store_id: &StoreId) -> Result<SessionView, CoreError> {
        let stored = self.inner.require_session().await?;
        if stored.store(store_id).is_none() {
            return Err(CoreError::UnknownStore(store_id.to_string()));
        }
        let mut tx = self.inner.db.write().await?;
        session::set_current_store(&mut tx, store_id).await?;
        tx.commit().await?;
        self.inner
            .refresh_setup_or_keep(&stored.token, std::slice::from_ref(store_id))
            .await;
        let stored = self.inner.require_session().await?;
        Ok(self.inner.session_view(stored))
    }
}

/// The store shown after sign-in: the first of the staff member's stores.
fn first_store(session: &Session) -> Result<StoreId, CoreError> {
    session
        .stores
        .first()
        .map(|store| store.id.clone())
        .ok_or_else(|| CoreError::UnexpectedAnswer(format!("{} has no store", session.staff.login)))
}
