//! Copy-paste: a template sent as it came (nothing personal added) and replies that repeat
//! themselves. Warnings only: sometimes the template is exactly right.

use super::{Finding, Input, Kind};

pub fn check(input: &Input) -> Vec<Finding> {
    let mut out = Vec::new();
    let text = input.text.trim();
    if let Some(t) = input.template {
        let named = input
            .names
            .iter()
            .filter(|n| !n.is_empty())
            .any(|n| text.to_lowercase().contains(&n.to_lowercase()));
        if t.trim() == text || !named {
            out.push(Finding::new(
                0..0,
                Kind::CopyPaste,
                false,
                if named {
                    "the template as it came: add a personal touch"
                } else {
                    "from a template and nobody is named: add a personal touch"
                },
            ));
        }
    }
    if input.earlier_to_mention > 0 {
        out.push(Finding::new(
            0..0,
            Kind::Duplicate,
            false,
            "this mention has already been answered",
        ));
    }
    if input.same_text_to_author {
        out.push(Finding::new(
            0..0,
            Kind::Duplicate,
            false,
            "the same text went to this author within a day",
        ));
    }
    out
}
