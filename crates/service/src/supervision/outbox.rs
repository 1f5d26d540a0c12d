//! The outbox as supervisors and administrators see it.

use yici_store::{OutboxEntry, OutboxFilter, Retry};

use crate::error::{Result, ServiceError};
use crate::gate::{AdminDesk, SupervisionDesk};

impl SupervisionDesk<'_> {
    /// A page of the delivery record, with how many match.
    pub async fn outbox(&self, filter: &OutboxFilter) -> Result<(Vec<OutboxEntry>, u64)> {
        Ok(self.service().store().list_outbox(filter).await?)
    }
}

impl AdminDesk<'_> {
    /// Sends dead letter `id` again; only a dead letter is sent by hand.
    pub async fn retry_message(&self, id: &str) -> Result<OutboxEntry> {
        let service = self.service();
        let store = service.store();
        let by = &self.caller().user().id;
        let not_found = || ServiceError::NotFound {
            what: "message",
            id: id.to_owned(),
        };
        match store.retry_outbox(id, by, service.clock().now_ms()).await? {
            Retry::Queued => {}
            Retry::Unknown => return Err(not_found()),
            Retry::NotDead(s) => {
                return Err(ServiceError::StateConflict(format!(
                    "message {id} is {}, not dead: only a dead letter is sent again by hand",
                    s.as_str()
                )));
            }
        }
        tracing::info!(id = %id, by = %by, "dead letter sent again");
        store.outbox_entry(id).await?.ok_or_else(not_found)
    }
}
