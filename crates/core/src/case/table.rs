//! Reading the transition table ([`TRANSITIONS`]): the row that allows an
//! action, or the precise reason none does; and the actions a person may
//! take on a case now, which the pages offer as buttons.

use super::action::ActionKind;
use super::error::CaseError;
use super::state::{Allowed, CaseState, ChannelKind, TRANSITIONS};
use super::{Case, Role};

/// The row of [`TRANSITIONS`] allowing `action` in `state` for a case of
/// `channel`, or the precise reason there is none.
///
/// It lives here rather than beside the table: `CaseError` names states
/// and channels, so the module of the states must not need `CaseError` in
/// return.
pub(super) fn allowed(
    state: CaseState,
    action: ActionKind,
    channel: ChannelKind,
) -> Result<&'static Allowed, CaseError> {
    let mut rows = TRANSITIONS
        .iter()
        .filter(|r| r.from == state && r.action == action)
        .peekable();
    if rows.peek().is_none() {
        return Err(if state == CaseState::Rated && action == ActionKind::Rate {
            CaseError::AlreadyRated
        } else {
            CaseError::NotAllowed { state, action }
        });
    }
    rows.find(|r| r.channel.is_none_or(|c| c == channel))
        .ok_or(CaseError::WrongChannel {
            state,
            action,
            channel,
        })
}

/// The actions a person in `role` may take on `case` now, of those a
/// person asks for by hand (the window's, the applicant's and issuing):
/// what the transition table allows in the case's state and channel.
/// Supplying is offered only when something was asked for.
pub fn offered_actions(case: &Case, role: Role) -> Vec<ActionKind> {
    const BY_HAND: [ActionKind; 8] = [
        ActionKind::Accept,
        ActionKind::AcceptWithDeficiency,
        ActionKind::Reject,
        ActionKind::Withdraw,
        ActionKind::Supplement,
        ActionKind::IssueResult,
        ActionKind::Deliver,
        ActionKind::Rate,
    ];
    BY_HAND
        .into_iter()
        .filter(|k| {
            TRANSITIONS.iter().any(|r| {
                r.from == case.state
                    && r.action == *k
                    && r.roles.contains(&role)
                    && r.channel.is_none_or(|ch| ch == case.channel.kind())
            })
        })
        .filter(|k| {
            *k != ActionKind::Supplement || case.supplement.is_some() || case.deficiency.is_some()
        })
        .collect()
}
