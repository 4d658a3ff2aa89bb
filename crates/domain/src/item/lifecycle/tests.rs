//! Every state × action × capacity, against the table of the issue, typed in here independently.

use super::*;
use ItemState::*;

/// The capacities in which someone meets an item: the office of the jurisdiction that registered
/// it (or above), an office below that only sees it, the responsible unit's liaison, an inspector,
/// a leader (who reads).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum As {
    Owner,
    OfficeBelow,
    Unit,
    Inspector,
    Leader,
}

const ALL: [As; 5] = [As::Owner, As::OfficeBelow, As::Unit, As::Inspector, As::Leader];

/// (action, from, to, capacities that own it) — the table; seeing is not owning.
const TABLE: &[(Action, &[ItemState], ItemState, &[As])] = &[
    (Action::Register, &[Draft], Registered, &[As::Owner]),
    (Action::Assign, &[Registered], Assigned, &[As::Owner]),
    (Action::Decline, &[Assigned], Registered, &[As::Unit]),
    (Action::Accept, &[Assigned], InProgress, &[As::Unit]),
    (Action::Report, &[InProgress], InProgress, &[As::Unit]),
    (Action::RequestClose, &[InProgress], CloseRequested, &[As::Unit]),
    (Action::ApproveClose, &[CloseRequested], Closed, &[As::Owner]),
    (Action::Return, &[CloseRequested], InProgress, &[As::Owner]),
    (Action::Confirm, &[Closed], Closed, &[As::Owner, As::Inspector]),
    (Action::Reopen, &[Closed], InProgress, &[As::Owner, As::Inspector]),
    (Action::RequestExtension, &[InProgress], InProgress, &[As::Unit]),
    (Action::ApproveExtension, &[InProgress], InProgress, &[As::Owner]),
    (Action::RejectExtension, &[InProgress], InProgress, &[As::Owner]),
    (Action::Pause, &[InProgress], InProgress, &[As::Owner]),
    (Action::Resume, &[InProgress], InProgress, &[As::Owner]),
    (Action::Cancel, &[Draft, Registered, Assigned, InProgress, CloseRequested], Cancelled, &[As::Owner]),
];

fn actor(capacity: As) -> ActorFacts {
    ActorFacts {
        user: Some(UserId(7)),
        // The owning office sees the item too.
        owner: capacity == As::Owner,
        office: matches!(capacity, As::Owner | As::OfficeBelow),
        unit: capacity == As::Unit,
        inspector: capacity == As::Inspector,
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
            for capacity in ALL {
                let got = decide(&facts(*state, *action), *action, &actor(capacity));
                let expected = if !roles.contains(&capacity) {
                    Err(Refusal::Forbidden)
                } else if !from.contains(state) {
                    Err(Refusal::InvalidTransition)
                } else {
                    Ok(*to)
                };
                assert_eq!(got.map(|o| o.to), expected, "{action:?} from {state:?} by {capacity:?}");
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
    let both = ActorFacts { user: Some(UserId(7)), owner: true, office: true, unit: true, inspector: false };
    assert_eq!(decide(&item, Action::ApproveClose, &both), Err(Refusal::Forbidden));
    let colleague = ActorFacts { user: Some(UserId(8)), ..both };
    assert_eq!(decide(&item, Action::ApproveClose, &colleague).map(|o| o.to), Ok(Closed));
}

#[test]
fn pause_resume_and_extensions_depend_on_the_flags() {
    let office = actor(As::Owner);
    let unit = actor(As::Unit);
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
    let office = actor(As::Owner);
    let assigned = ItemFacts { state: Assigned, paused: false, extension_pending: false, close_requested_by: None };
    assert_eq!(available(&assigned, &office), vec![Action::Cancel]);
    assert_eq!(available(&assigned, &actor(As::Unit)), vec![Action::Decline, Action::Accept]);
    assert!(available(&assigned, &actor(As::Leader)).is_empty());
    assert!(available(&assigned, &actor(As::OfficeBelow)).is_empty(), "an office below only sees it");
}
