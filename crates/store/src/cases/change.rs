//! The changes of a case the writer applies — a new case, a transition —
//! as the request made them. What each checks and writes: `apply.rs`.

use yici_core::case::Case;

use crate::alongside::Alongside;
use crate::certificates::NewCertificate;
use crate::outbox::OutboxMessage;
use crate::sql::value::Value;
use crate::vocabulary::IdempotencyKey;

/// A change the writer applies: a new case, a transition of one, or rows
/// of another aggregate alone.
pub(crate) enum Change {
    /// A new case.
    Insert {
        /// The case.
        case: Case,
        /// The case as stored, serialized beside the request.
        snapshot: String,
        /// Owning user.
        owner: String,
        /// Messages announcing it.
        outbox: Vec<OutboxMessage>,
        /// The request's key, if any.
        idempotency: Option<IdempotencyKey>,
    },
    /// A transition.
    Update {
        /// The case after it.
        case: Case,
        /// The case after it as stored, serialized beside the request.
        snapshot: String,
        /// The version it was computed from.
        expected_version: u64,
        /// `UPDATE tasks` parameters of the tasks it changed, made beside
        /// the request ([`changed_tasks`](crate::cases::rows::changed_tasks)) rather than in the writer.
        tasks: Vec<Vec<Value>>,
        /// Messages announcing it.
        outbox: Vec<OutboxMessage>,
        /// Certificates issued with it.
        certificates: Vec<NewCertificate>,
        /// Other aggregates' rows written with it.
        alongside: Alongside,
    },
    /// Rows of another aggregate, written with no case (a parcel's move,
    /// a payment order): through the writer so that they share its
    /// transactions instead of each taking one of its own.
    Rows(Alongside),
}

impl Change {
    /// The case it writes, and its JSON as stored; none for rows alone.
    pub(crate) fn into_stored(self) -> Option<(Case, String)> {
        match self {
            Change::Insert { case, snapshot, .. } | Change::Update { case, snapshot, .. } => {
                Some((case, snapshot))
            }
            Change::Rows(_) => None,
        }
    }

    /// The idempotency key of a new case.
    pub(crate) fn idempotency(&self) -> Option<&IdempotencyKey> {
        match self {
            Change::Insert { idempotency, .. } => idempotency.as_ref(),
            Change::Update { .. } | Change::Rows(_) => None,
        }
    }
}
