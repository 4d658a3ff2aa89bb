//! Supervision items (督导事项): a problem or task that someone must solve by a deadline, and that
//! ends only when it is written off (销号). See DESIGN.md §4.

mod action;
mod deadline;
mod lifecycle;
mod state;

pub use action::{Action, ActionInput};
pub use deadline::{DueStatus, Escalation, EscalationSettings, due_status, escalation_target};
pub use lifecycle::{ActorFacts, Effect, ItemFacts, Outcome, Refusal, available, decide};
pub use state::{ItemState, Priority, Source};
