//! The applicant's message centre (我的消息): their messages, newest
//! first, and marking one read.

use yici_store::messages::Message;

use crate::error::{Result, ServiceError};
use crate::gate::ApplicantDesk;

impl ApplicantDesk<'_> {
    /// My messages, newest first; how many in all and how many unread.
    pub async fn my_messages(&self, limit: u32, offset: u64) -> Result<(Vec<Message>, u64, u64)> {
        Ok(self
            .service()
            .store()
            .messages_of(self.subject(), limit.clamp(1, 100), offset)
            .await?)
    }

    /// Marks one of my messages read (again: nothing changes).
    pub async fn read_message(&self, id: &str) -> Result<()> {
        let service = self.service();
        if service
            .store()
            .read_message(self.subject(), id, service.clock().now_ms())
            .await?
        {
            Ok(())
        } else {
            Err(ServiceError::NotFound {
                what: "message",
                id: id.to_owned(),
            })
        }
    }
}

impl crate::gate::AdminDesk<'_> {
    /// How a message went out: (channel, state, address) per channel, for
    /// an administrator tracing a complaint that a text never came.
    pub async fn message_deliveries(
        &self,
        id: &str,
    ) -> Result<Vec<(String, String, Option<String>)>> {
        Ok(self.service().store().deliveries_of(id).await?)
    }
}
