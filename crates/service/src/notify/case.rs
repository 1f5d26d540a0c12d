//! The messages of a case's step, written beside its transition.

use yici_core::case::Case;
use yici_payment::{Gate, lines, outstanding};
use yici_store::Alongside;
use yici_store::messages::message_alongside;

use super::news::case_news;
use crate::context::Service;
use crate::error::Result;

impl Service {
    /// The rows of the messages telling the applicant of the step from
    /// `before` to `after`, for the case writer's transaction.
    pub(crate) async fn news_alongside(&self, before: &Case, after: &Case) -> Result<Alongside> {
        let accepted_now = before.accepted_on.is_none() && after.accepted_on.is_some();
        // What is owed is read only when a fee-due message may follow.
        let owed = if accepted_now {
            let all = lines(self.catalog(), after);
            if all.is_empty() {
                0
            } else {
                let paid = self.store().paid_fees(&after.id.to_string()).await?;
                outstanding(&all, &paid, Gate::Issue)
                    .iter()
                    .map(|l| l.amount_fen)
                    .sum()
            }
        } else {
            0
        };
        let news = case_news(self.catalog(), before, after, owed, self.clock().now_ms());
        Ok(message_alongside(&news))
    }
}
