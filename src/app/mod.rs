//! The pure core of the console: state, and `update(state, now, event) -> effects`.
//! It never blocks and never touches the disk, the network or the terminal; the driver
//! runs the effects and feeds results back as events.

mod arrival;
mod input;
pub mod queue;
pub mod reply;
mod state;
pub mod thread;
mod update;

pub use crate::actions::{Action, ActionKind, ACTIONS};
pub use input::{InputKind, LineInput};
pub use state::{App, Compose, Counts, Picker, PickerPurpose, Status, StatusKind};
pub use update::{update, Effect, Event};
