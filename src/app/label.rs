//! `mention.label`: the moderator corrects a mention's sentiment. The correction is
//! audited, teaches the learned triage model one step, and the model is stored; the
//! corrected mention keeps its place (only new arrivals are scored with what was learnt).

use super::event::Effect;
use super::state::{audit, App};
use crate::model::Label;
use crate::triage;

/// `neg`, `neu`, `pos` and their long forms, in the team's words too.
pub fn parse_label(arg: &str) -> Option<Label> {
    match arg.trim().to_lowercase().as_str() {
        "neg" | "negative" | "complaint" | "-" => Some(Label::Negative),
        "neu" | "neutral" | "0" => Some(Label::Neutral),
        "pos" | "positive" | "praise" | "+" => Some(Label::Positive),
        _ => None,
    }
}

pub(super) fn correct(app: &mut App, arg: &str, fx: &mut Vec<Effect>) {
    let Some(label) = parse_label(arg) else {
        app.error("usage: :label neg|neu|pos");
        return;
    };
    let Some(mut m) = app.selected_mention().cloned() else {
        app.error("no mention selected");
        return;
    };
    // The model learns what the lexicon missed: it is fed the lexicon's own score.
    let lexicon = triage::analyse(&m.text, Some(&m.lang)).sentiment;
    app.model
        .learn(&m.text, &lexicon, label == Label::Negative, app.now);
    let detail = format!("{} -> {}", m.sentiment.label.name(), label.name());
    fx.push(audit(app, "mention.label", Some(&m.id), &detail));
    fx.push(Effect::SaveModel(app.model.to_bytes()));
    m.sentiment.label = label;
    fx.push(Effect::PersistMention(Box::new(m.clone())));
    app.replace_mention(m);
    app.info(format!(
        "labelled {}; triage has learnt from {} corrections",
        label.name(),
        app.model.corrections()
    ));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_in_short_and_long_forms() {
        assert_eq!(parse_label("neg"), Some(Label::Negative));
        assert_eq!(parse_label(" Complaint "), Some(Label::Negative));
        assert_eq!(parse_label("neu"), Some(Label::Neutral));
        assert_eq!(parse_label("praise"), Some(Label::Positive));
        assert_eq!(parse_label("bad"), None);
    }
}
