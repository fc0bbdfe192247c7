//! Writing replies: the editor now; templates and the gate build on it.

pub mod editor;
