//! The pure core of the console: state, and `update(state, now, event) -> effects`.
//! It never blocks and never touches the disk, the network or the terminal; the driver
//! runs the effects and feeds results back as events.

mod arrival;
pub mod author;
pub mod bulk;
pub(crate) mod commands;
mod complete;
pub mod counts;
pub mod escalate;
mod event;
pub mod figures;
mod input;
mod label;
mod link;
pub mod place;
pub mod queue;
pub mod reply;
mod state;
pub mod thread;
pub mod undo;
mod unknown;
mod update;
pub mod workflow;

pub use crate::actions::{Action, ActionKind, COMMANDS};
pub use commands::HelpView;
pub use counts::Counts;
pub use event::{Effect, Event};
pub use input::{InputKind, LineInput};
pub use state::{
    quote_rows, App, Compose, GateState, Picker, PickerPurpose, Status, StatusKind, ThreadState,
    ThreadView,
};
pub use update::update;
