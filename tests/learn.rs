//! Triage that learns from the team: corrections by key, what they change and what they
//! leave alone, and the model across a restart.

mod common;

use common::{Harness, NOW};
use modq::model::{Label, Network};
use modq::sources::RawMention;
use modq::store::Store;

fn raw(id: &str, text: &str) -> RawMention {
    RawMention {
        source: "demo".into(),
        network: Network::Mastodon,
        remote_id: id.into(),
        author_name: format!("Author {id}"),
        author_handle: format!("@a{id}@x.example"),
        followers: 100,
        text: text.into(),
        lang: Some("en".into()),
        created: NOW - 60_000,
        in_reply_to: None,
        url: None,
    }
}

fn order(h: &Harness) -> Vec<String> {
    h.app.visible.keys.iter().map(|k| k.id.clone()).collect()
}

/// Labels the mention `id` by key: `L` opens the command line at `label `.
fn label(h: &mut Harness, id: &str, what: &str) {
    h.app.selected = Some(format!("demo:{id}"));
    h.key("L");
    h.type_text(what);
    h.key("<Enter>");
}

#[test]
fn corrections_rank_a_new_similar_mention_and_leave_the_rows_in_place() {
    let mut h = Harness::new();
    let texts = [
        "the raduga app keeps logging me out",
        "raduga app logged me out again",
        "why does the raduga app log me out",
        "raduga app logs me out every time",
        "what time does the branch open",
        "is the branch open on sunday",
        "which branch is open today",
        "new branch opening in town",
    ];
    let raws: Vec<RawMention> = (texts.iter().enumerate())
        .map(|(i, t)| raw(&format!("m{i}"), t))
        .collect();
    h.ingest(raws);
    let before = order(&h);
    let scores_before: Vec<f32> = (before.iter())
        .map(|id| h.app.mentions[id].sentiment.score)
        .collect();
    for round in 0..25 {
        for i in 0..4 {
            label(&mut h, &format!("m{i}"), "neg");
        }
        label(&mut h, &format!("m{}", 4 + round % 4), "neu");
    }
    assert_eq!(h.app.model.corrections(), 125);
    let m0 = &h.app.mentions["demo:m0"];
    assert_eq!(m0.sentiment.label, Label::Negative);
    // Nothing moved by itself: the rows keep their order and their scores.
    let after_scores: Vec<f32> = (before.iter())
        .map(|id| h.app.mentions[id].sentiment.score)
        .collect();
    assert_eq!(after_scores, scores_before);
    let labelled_neg: Vec<&String> = before.iter().filter(|id| id.as_str() < "demo:m4").collect();
    let rest: Vec<String> = order(&h)
        .into_iter()
        .filter(|id| !labelled_neg.contains(&id))
        .collect();
    let rest_before: Vec<String> = (before.iter())
        .filter(|id| !labelled_neg.contains(id))
        .cloned()
        .collect();
    assert_eq!(rest, rest_before);

    // Audited, one entry per correction.
    let audited = (h.store.load_audit().unwrap().into_iter())
        .filter(|a| a.action == "mention.label")
        .count();
    assert_eq!(audited, 125);

    // A new mention like the corrected ones ranks as a complaint, and says why; one like the
    // neutral ones does not.
    let lexicon = modq::triage::analyse("my raduga app logs me out", Some("en")).sentiment;
    h.ingest(vec![
        raw("new1", "my raduga app logs me out"),
        raw("new2", "is the branch open late"),
    ]);
    let new1 = &h.app.mentions["demo:new1"];
    assert!(
        new1.sentiment.score < lexicon.score - 0.05,
        "{} vs lexicon {}",
        new1.sentiment.score,
        lexicon.score
    );
    assert!(
        (new1.sentiment.reasons.iter()).any(|r| r.what.starts_with("model: ") && r.weight < 0.0),
        "{:?}",
        new1.sentiment.reasons
    );
    let pos = |id: &str| order(&h).iter().position(|x| x == id).unwrap();
    assert!(pos("demo:new1") < pos("demo:new2"));
    // Stored as scored.
    let stored = (h.store.load_mentions().unwrap().into_iter())
        .find(|m| m.id == "demo:new1")
        .unwrap();
    assert_eq!(stored.sentiment.score, new1.sentiment.score);

    // The model survives a restart.
    let corrections = h.app.model.corrections();
    let h = h.restart();
    assert_eq!(h.app.model.corrections(), corrections);
    assert!(h.store.model_get().unwrap().is_some());
}

#[test]
fn a_label_needs_a_mention_and_a_known_name() {
    let mut h = Harness::new();
    h.ingest(vec![raw("a", "hello there")]);
    label(&mut h, "a", "meh");
    assert_eq!(h.app.model.corrections(), 0);
    let status = h.app.status.as_ref().unwrap().text.clone();
    assert!(status.contains("neg|neu|pos"), "{status}");
    h.key(":");
    h.type_text("label pos");
    h.key("<Enter>");
    assert_eq!(h.app.model.corrections(), 1);
    assert_eq!(h.app.mentions["demo:a"].sentiment.label, Label::Positive);
}

/// From the shell: train on a labelled file, then `score` with the stored model and without.
#[test]
fn train_then_score_with_and_without_the_model() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("history.jsonl");
    let mut lines = Vec::new();
    for i in 0..150 {
        lines.push(format!(
            r#"{{"text": "the raduga app logs me out {i}", "label": "negative", "lang": "en"}}"#
        ));
        lines.push(format!(
            r#"{{"text": "when does branch {i} open", "label": "neutral"}}"#
        ));
    }
    std::fs::write(&file, lines.join("\n")).unwrap();
    let data = dir.path().join("data");
    let modq = |args: &[&str], stdin: &str| {
        use std::io::Write;
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_modq"))
            .args(args)
            .arg("--data-dir")
            .arg(&data)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(stdin.as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "{args:?}: {out:?}");
        (
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8(out.stderr).unwrap(),
        )
    };
    let (out, err) = modq(&["train", "--from", file.to_str().unwrap()], "");
    assert!(out.contains("300 corrections"), "{out}");
    assert!(err.contains("held out 30 texts: AUC"), "{err}");
    let score = |v: &str| -> f64 {
        let j: serde_json::Value = serde_json::from_str(v.lines().next().unwrap()).unwrap();
        j["score"].as_f64().unwrap()
    };
    let text = "raduga app logs me out\n";
    let with = score(&modq(&["score", "--lang", "en"], text).0);
    let without = score(&modq(&["score", "--lang", "en", "--no-model"], text).0);
    assert!(with < without - 0.1, "{with} vs {without}");
    let (shown, _) = modq(&["model", "show"], "");
    assert!(shown.starts_with("corrections: 300\n"), "{shown}");
    modq(&["model", "reset"], "");
    let reset = score(&modq(&["score", "--lang", "en"], text).0);
    assert_eq!(reset, without);
}
