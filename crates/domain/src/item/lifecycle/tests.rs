//! Every state × action × role, against the table of the issue, typed in here independently.

use super::*;
use crate::role::Role;
use ItemState::*;

/// (action, from, to, roles that own it) — the table.
const TABLE: &[(Action, &[ItemState], ItemState, &[Role])] = &[
    (Action::Register, &[Draft], Registered, &[Role::Office]),
    (Action::Assign, &[Registered], Assigned, &[Role::Office]),
    (Action::Decline, &[Assigned], Registered, &[Role::Unit]),
    (Action::Accept, &[Assigned], InProgress, &[Role::Unit]),
    (Action::Report, &[InProgress], InProgress, &[Role::Unit]),
    (Action::RequestClose, &[InProgress], CloseRequested, &[Role::Unit]),
    (Action::ApproveClose, &[CloseRequested], Closed, &[Role::Office]),
    (Action::Return, &[CloseRequested], InProgress, &[Role::Office]),
    (Action::Confirm, &[Closed], Closed, &[Role::Office, Role::Inspector]),
    (Action::Reopen, &[Closed], InProgress, &[Role::Office, Role::Inspector]),
    (Action::RequestExtension, &[InProgress], InProgress, &[Role::Unit]),
    (Action::ApproveExtension, &[InProgress], InProgress, &[Role::Office]),
    (Action::RejectExtension, &[InProgress], InProgress, &[Role::Office]),
    (Action::Pause, &[InProgress], InProgress, &[Role::Office]),
    (Action::Resume, &[InProgress], InProgress, &[Role::Office]),
    (Action::Cancel, &[Draft, Registered, Assigned, InProgress, CloseRequested], Cancelled, &[Role::Office]),
];

fn actor(role: Role) -> ActorFacts {
    ActorFacts {
        user: Some(UserId(7)),
        office: role == Role::Office,
        unit: role == Role::Unit,
        inspector: role == Role::Inspector,
    }
}

/// The item facts that make an action possible when its state is right (pending extension for
/// approve/reject, paused for resume).
fn facts(state: ItemState, action: Action) -> ItemFacts {
    ItemFacts {
        state,
        paused: action == Action::Resume,
        extension_pending: matches!(action, Action::ApproveExtension | Action::RejectExtension),
        close_requested_by: Some(UserId(99)),
    }
}

#[test]
fn every_state_action_and_role() {
    let mut checked = 0;
    for (action, from, to, roles) in TABLE {
        for state in ItemState::ALL {
            for role in Role::ALL {
                let got = decide(&facts(*state, *action), *action, &actor(role));
                let expected = if !roles.contains(&role) {
                    Err(Refusal::Forbidden)
                } else if !from.contains(state) {
                    Err(Refusal::InvalidTransition)
                } else {
                    Ok(*to)
                };
                assert_eq!(got.map(|o| o.to), expected, "{action:?} from {state:?} by {role:?}");
                checked += 1;
            }
        }
    }
    assert_eq!(TABLE.len(), Action::ALL.len(), "the table covers every action");
    assert_eq!(checked, 16 * 7 * 5);
}

#[test]
fn the_requester_never_writes_off_their_own_request() {
    let item = ItemFacts {
        state: CloseRequested,
        paused: false,
        extension_pending: false,
        close_requested_by: Some(UserId(7)),
    };
    // Someone who is both office and the requesting unit.
    let both = ActorFacts { user: Some(UserId(7)), office: true, unit: true, inspector: false };
    assert_eq!(decide(&item, Action::ApproveClose, &both), Err(Refusal::Forbidden));
    let colleague = ActorFacts { user: Some(UserId(8)), ..both };
    assert_eq!(decide(&item, Action::ApproveClose, &colleague).map(|o| o.to), Ok(Closed));
}

#[test]
fn pause_resume_and_extensions_depend_on_the_flags() {
    let office = actor(Role::Office);
    let unit = actor(Role::Unit);
    let running = ItemFacts { state: InProgress, paused: false, extension_pending: false, close_requested_by: None };
    assert!(decide(&running, Action::Pause, &office).is_ok());
    assert_eq!(decide(&running, Action::Resume, &office), Err(Refusal::InvalidTransition));
    let paused = ItemFacts { paused: true, ..running };
    assert_eq!(decide(&paused, Action::Pause, &office), Err(Refusal::InvalidTransition));
    assert_eq!(decide(&paused, Action::Resume, &office).map(|o| o.effect), Ok(Effect::Resume));
    assert!(decide(&running, Action::RequestExtension, &unit).is_ok());
    assert_eq!(decide(&running, Action::ApproveExtension, &office), Err(Refusal::InvalidTransition));
    let pending = ItemFacts { extension_pending: true, ..running };
    assert_eq!(decide(&pending, Action::RequestExtension, &unit), Err(Refusal::InvalidTransition));
    assert_eq!(decide(&pending, Action::ApproveExtension, &office).map(|o| o.effect), Ok(Effect::ApproveExtension));
}

#[test]
fn available_lists_exactly_what_decide_allows() {
    let office = actor(Role::Office);
    let assigned = ItemFacts { state: Assigned, paused: false, extension_pending: false, close_requested_by: None };
    assert_eq!(available(&assigned, &office), vec![Action::Cancel]);
    assert_eq!(available(&assigned, &actor(Role::Unit)), vec![Action::Decline, Action::Accept]);
    assert!(available(&assigned, &actor(Role::Leader)).is_empty());
}
