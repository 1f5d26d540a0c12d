//! The states of a case and the table of allowed transitions.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::Role;
use super::action::ActionKind;

/// Where a case stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseState {
    /// Submitted, not yet looked at.
    Submitted,
    /// Online application that passed the rules' pre-check (预审).
    PreChecked,
    /// Accepted (受理); the first stage's tasks are open.
    Accepted,
    /// Accepted with materials still to come (容缺受理).
    AcceptedWithDeficiency,
    /// Not accepted (不予受理), with the reason.
    Rejected,
    /// At least one task decided, others still open or waiting.
    InReview,
    /// A task asked the applicant for a supplement (补正); its clock stops.
    SupplementRequested,
    /// Every task settled; the decision is known.
    Decided,
    /// The result documents are issued (出件).
    ResultIssued,
    /// The result reached the applicant (送达).
    Delivered,
    /// The applicant rated the service (好差评).
    Rated,
    /// The applicant withdrew the application (撤回).
    Withdrawn,
}

impl CaseState {
    /// Whether handling is over (办结): rejected, withdrawn, delivered or
    /// rated. A delivered case may still be rated.
    pub fn is_closed(self) -> bool {
        matches!(
            self,
            Self::Rejected | Self::Withdrawn | Self::Delivered | Self::Rated
        )
    }

    /// Whether files may still be given for the case's materials: from
    /// submission until every task is settled (a deficiency or a supplement
    /// is given the same way); not once the decision is known.
    pub fn takes_materials(self) -> bool {
        matches!(
            self,
            Self::Submitted
                | Self::PreChecked
                | Self::Accepted
                | Self::AcceptedWithDeficiency
                | Self::InReview
                | Self::SupplementRequested
        )
    }

    /// The stable machine name, e.g. `accepted_with_deficiency`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Submitted => "submitted",
            Self::PreChecked => "pre_checked",
            Self::Accepted => "accepted",
            Self::AcceptedWithDeficiency => "accepted_with_deficiency",
            Self::Rejected => "rejected",
            Self::InReview => "in_review",
            Self::SupplementRequested => "supplement_requested",
            Self::Decided => "decided",
            Self::ResultIssued => "result_issued",
            Self::Delivered => "delivered",
            Self::Rated => "rated",
            Self::Withdrawn => "withdrawn",
        }
    }
}

impl fmt::Display for CaseState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Online or window, the part of a [`Channel`](super::Channel) the
/// transition table cares about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChannelKind {
    /// The online service hall.
    Online,
    /// A comprehensive window.
    Window,
}

impl ChannelKind {
    /// The stable machine name: `online` or `window`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Online => "online",
            Self::Window => "window",
        }
    }
}

impl fmt::Display for ChannelKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One row of the transition table: in state `from`, `action` is allowed
/// for `roles` (and cases of `channel`, if given), leading to one of `to`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Allowed {
    /// State the case is in.
    pub from: CaseState,
    /// Action asked for.
    pub action: ActionKind,
    /// Channel the case must have come in through; `None` for either.
    pub channel: Option<ChannelKind>,
    /// Roles that may ask.
    pub roles: &'static [Role],
    /// States the case can be in afterwards.
    pub to: &'static [CaseState],
}

use ActionKind as A;
use CaseState as S;
use ChannelKind as C;

const APPLICANT: &[Role] = &[Role::Applicant];
const CLERK: &[Role] = &[Role::Clerk];
const CLERK_OR_SYSTEM: &[Role] = &[Role::Clerk, Role::System];
const DECIDERS: &[Role] = &[Role::Reviewer, Role::System];
const ISSUERS: &[Role] = &[Role::Reviewer, Role::Clerk, Role::System];
const SYSTEM: &[Role] = &[Role::System];
/// The clerk records a supplement brought to a window; checked in `apply`.
const SUPPLIERS: &[Role] = &[Role::Applicant, Role::Clerk];

const fn row(
    from: CaseState,
    action: ActionKind,
    channel: Option<ChannelKind>,
    roles: &'static [Role],
    to: &'static [CaseState],
) -> Allowed {
    Allowed {
        from,
        action,
        channel,
        roles,
        to,
    }
}

/// Every allowed (state, action) pair. See the module documentation for
/// the same table in prose.
#[rustfmt::skip]
pub const TRANSITIONS: &[Allowed] = &[
    row(S::Submitted, A::PreCheck, Some(C::Online), SYSTEM, &[S::PreChecked, S::Rejected]),
    row(S::Submitted, A::Accept, Some(C::Window), CLERK, &[S::Accepted]),
    row(S::Submitted, A::AcceptWithDeficiency, Some(C::Window), CLERK, &[S::AcceptedWithDeficiency]),
    row(S::Submitted, A::Reject, Some(C::Window), CLERK, &[S::Rejected]),
    row(S::Submitted, A::Withdraw, None, APPLICANT, &[S::Withdrawn]),
    row(S::PreChecked, A::Accept, Some(C::Online), CLERK_OR_SYSTEM, &[S::Accepted]),
    row(S::PreChecked, A::AcceptWithDeficiency, Some(C::Online), CLERK, &[S::AcceptedWithDeficiency]),
    row(S::PreChecked, A::Reject, Some(C::Online), CLERK, &[S::Rejected]),
    row(S::PreChecked, A::Withdraw, None, APPLICANT, &[S::Withdrawn]),
    row(S::Accepted, A::Decide, None, DECIDERS, &[S::InReview, S::SupplementRequested, S::Decided]),
    row(S::Accepted, A::RuleDecide, None, SYSTEM, &[S::Accepted, S::InReview, S::Decided]),
    row(S::Accepted, A::MarkDeadlines, None, SYSTEM, &[S::Accepted]),
    row(S::Accepted, A::Withdraw, None, APPLICANT, &[S::Withdrawn]),
    row(S::AcceptedWithDeficiency, A::Decide, None, DECIDERS, &[S::InReview, S::SupplementRequested, S::Decided]),
    row(S::AcceptedWithDeficiency, A::RuleDecide, None, SYSTEM, &[S::AcceptedWithDeficiency, S::InReview, S::Decided]),
    row(S::AcceptedWithDeficiency, A::Supplement, None, SUPPLIERS, &[S::Accepted]),
    row(S::AcceptedWithDeficiency, A::MarkDeadlines, None, SYSTEM, &[S::AcceptedWithDeficiency]),
    row(S::AcceptedWithDeficiency, A::Withdraw, None, APPLICANT, &[S::Withdrawn]),
    row(S::InReview, A::Decide, None, DECIDERS, &[S::InReview, S::SupplementRequested, S::Decided]),
    row(S::InReview, A::RuleDecide, None, SYSTEM, &[S::InReview, S::Decided]),
    row(S::InReview, A::Supplement, None, SUPPLIERS, &[S::InReview]),
    row(S::InReview, A::MarkDeadlines, None, SYSTEM, &[S::InReview]),
    row(S::InReview, A::Withdraw, None, APPLICANT, &[S::Withdrawn]),
    row(S::SupplementRequested, A::Decide, None, DECIDERS, &[S::SupplementRequested]),
    row(S::SupplementRequested, A::RuleDecide, None, SYSTEM, &[S::SupplementRequested]),
    row(S::SupplementRequested, A::Supplement, None, SUPPLIERS, &[S::InReview]),
    row(S::SupplementRequested, A::MarkDeadlines, None, SYSTEM, &[S::SupplementRequested]),
    row(S::SupplementRequested, A::Withdraw, None, APPLICANT, &[S::Withdrawn]),
    row(S::Decided, A::Supplement, None, SUPPLIERS, &[S::Decided]),
    row(S::Decided, A::IssueResult, None, ISSUERS, &[S::ResultIssued]),
    row(S::ResultIssued, A::Deliver, None, CLERK_OR_SYSTEM, &[S::Delivered]),
    row(S::Delivered, A::Rate, None, APPLICANT, &[S::Rated]),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_state_action_pair_appears_at_most_once_per_channel() {
        for (i, a) in TRANSITIONS.iter().enumerate() {
            for b in &TRANSITIONS[i + 1..] {
                let same_channel =
                    a.channel.is_none() || b.channel.is_none() || a.channel == b.channel;
                assert!(
                    !(a.from == b.from && a.action == b.action && same_channel),
                    "{} / {} listed twice",
                    a.from,
                    a.action
                );
            }
        }
    }

    #[test]
    fn closed_states_allow_nothing_but_rating_a_delivery() {
        for row in TRANSITIONS.iter().filter(|r| r.from.is_closed()) {
            assert_eq!((row.from, row.action), (S::Delivered, A::Rate));
        }
    }

    #[test]
    fn state_names_are_snake_case_in_json() {
        let json = serde_json::to_string(&S::AcceptedWithDeficiency).expect("serialize");
        assert_eq!(json, format!("\"{}\"", S::AcceptedWithDeficiency.as_str()));
    }
}
