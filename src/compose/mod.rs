//! Writing replies: the editor, templates and their placeholders, and the gate that checks a
//! reply before it may be sent.

pub mod commands;
pub mod dict;
pub mod editor;
pub mod edits;
pub mod freq;
pub mod gate;
pub mod kit;
pub mod lang;
pub mod phonetic;
pub mod placeholder;
pub mod spell;
pub mod template;
pub mod typo;
