//! The lifecycle as a pure function: given an item, an action and who is acting, either the
//! transition to make or why not. Storage applies the outcome and records it; nothing here does I/O.

use super::action::Action;
use super::state::ItemState;
use crate::ids::UserId;

/// What the lifecycle needs to know about the item.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ItemFacts {
    pub state: ItemState,
    /// The deadline clock is stopped (暂停).
    pub paused: bool,
    /// The unit has asked for more time and the office has not answered yet.
    pub extension_pending: bool,
    /// Who asked for the write-off, while `close_requested`.
    pub close_requested_by: Option<UserId>,
}

/// In which capacities the actor may act on this item (computed from their grants and the item).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ActorFacts {
    pub user: Option<UserId>,
    /// Holds the office role over the unit that registered the item, or a unit above it (督查室 of
    /// the owning jurisdiction): it decides 交办/改派, 销号, 回头看, extensions, pauses, 撤销.
    pub owner: bool,
    /// Holds the office role with this item in scope. Seeing is not owning: an office below the
    /// owner sees the item because it is responsible or co-operates, and may coordinate (attach,
    /// remind) but decides nothing in the lifecycle.
    pub office: bool,
    /// Holds the unit role in the item's responsible unit (责任单位).
    pub unit: bool,
    /// Holds the inspector role with this item in scope (帮督人员, for 回头看).
    pub inspector: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The actor's roles do not own this action, or (write-off) they asked for it themselves.
    Forbidden,
    /// The action cannot be taken in the item's current state.
    InvalidTransition,
}

/// What else changes besides the state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Effect {
    None,
    /// Set responsible unit, deadline and the start of the clock.
    Assign,
    /// Remember who asked for the write-off, with measures and result.
    RequestClose,
    /// Closed: record who wrote it off and when.
    Close,
    /// 回头看 passed.
    Confirm,
    /// The reopen count rises; escalation starts over.
    Reopen,
    /// Store the requested deadline.
    RequestExtension,
    /// The requested deadline becomes the deadline; escalation starts over.
    ApproveExtension,
    RejectExtension,
    /// Stop the clock.
    Pause,
    /// Restart the clock: the paused working days move the deadline.
    Resume,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Outcome {
    pub to: ItemState,
    pub effect: Effect,
}

/// Which capacity owns each action (the "who" column of the table).
fn owned_by(action: Action, actor: &ActorFacts) -> bool {
    match action {
        Action::Register
        | Action::Assign
        | Action::ApproveClose
        | Action::Return
        | Action::ApproveExtension
        | Action::RejectExtension
        | Action::Pause
        | Action::Resume
        | Action::Cancel => actor.owner,
        Action::Decline | Action::Accept | Action::Report | Action::RequestClose | Action::RequestExtension => {
            actor.unit
        }
        Action::Confirm | Action::Reopen => actor.owner || actor.inspector,
    }
}

/// The transition, if the state allows the action.
fn transition(item: &ItemFacts, action: Action) -> Option<Outcome> {
    use ItemState::*;
    let to = |to, effect| Some(Outcome { to, effect });
    match (action, item.state) {
        (Action::Register, Draft) => to(Registered, Effect::None),
        (Action::Assign, Registered) => to(Assigned, Effect::Assign),
        (Action::Decline, Assigned) => to(Registered, Effect::None),
        (Action::Accept, Assigned) => to(InProgress, Effect::None),
        (Action::Report, InProgress) => to(InProgress, Effect::None),
        (Action::RequestClose, InProgress) => to(CloseRequested, Effect::RequestClose),
        (Action::ApproveClose, CloseRequested) => to(Closed, Effect::Close),
        (Action::Return, CloseRequested) => to(InProgress, Effect::None),
        (Action::Confirm, Closed) => to(Closed, Effect::Confirm),
        (Action::Reopen, Closed) => to(InProgress, Effect::Reopen),
        (Action::RequestExtension, InProgress) if !item.extension_pending => to(InProgress, Effect::RequestExtension),
        (Action::ApproveExtension, InProgress) if item.extension_pending => to(InProgress, Effect::ApproveExtension),
        (Action::RejectExtension, InProgress) if item.extension_pending => to(InProgress, Effect::RejectExtension),
        (Action::Pause, InProgress) if !item.paused => to(InProgress, Effect::Pause),
        (Action::Resume, InProgress) if item.paused => to(InProgress, Effect::Resume),
        (Action::Cancel, state) if state.is_open() => to(Cancelled, Effect::None),
        _ => None,
    }
}

/// Decides an action. A role that never owns the action is `Forbidden` whatever the state; an
/// owned action in the wrong state is an `InvalidTransition`; and nobody writes off an item whose
/// write-off they asked for themselves.
pub fn decide(item: &ItemFacts, action: Action, actor: &ActorFacts) -> Result<Outcome, Refusal> {
    if !owned_by(action, actor) {
        return Err(Refusal::Forbidden);
    }
    let outcome = transition(item, action).ok_or(Refusal::InvalidTransition)?;
    if action == Action::ApproveClose && actor.user.is_some() && actor.user == item.close_requested_by {
        return Err(Refusal::Forbidden);
    }
    Ok(outcome)
}

/// The actions this actor may take on the item now (for showing forms and buttons).
pub fn available(item: &ItemFacts, actor: &ActorFacts) -> Vec<Action> {
    Action::ALL.into_iter().filter(|a| decide(item, *a, actor).is_ok()).collect()
}

#[cfg(test)]
mod tests;
