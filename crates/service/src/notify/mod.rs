//! Notifications (issue 18 §5): the news an applicant must know
//! (`news.rs`), written to their message centre in the transaction of the
//! change it tells of, with one delivery per channel; the senders
//! (`senders.rs`: SMTP e-mail, the SMS sandbox); the message centre
//! (`inbox.rs`). The worker (`workers/notifications.rs`) delivers, and
//! reminds of tomorrow's bookings.

mod case;
mod inbox;
pub(crate) mod news;
mod senders;

pub use senders::{Mail, Senders, Sms};
pub use yici_store::messages::{Message, NewMessage};
