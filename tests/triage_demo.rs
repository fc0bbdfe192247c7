//! The bundled demo mentions (written for modq, each with the sentiment its author meant)
//! must be read the way they were meant: what the queue marks negative is negative, and
//! most complaints are caught. Also: the detected language agrees with the declared one.

use modq::model::Label;
use modq::sources::demo;
use modq::triage::{analyse, eval};

#[test]
fn demo_mentions_are_read_as_meant() {
    let lines = demo::lines();
    let neg: Vec<bool> = lines.iter().map(|l| l.sentiment == "negative").collect();
    let mut labels = Vec::new();
    let mut scores = Vec::new();
    let mut lang_agree = 0;
    for l in &lines {
        let a = analyse(&l.text, Some(&l.lang));
        labels.push(a.sentiment.label);
        scores.push(a.sentiment.score);
        if analyse(&l.text, None).lang == l.lang {
            lang_agree += 1;
        }
    }
    for (l, lab) in lines.iter().zip(&labels) {
        if std::env::var("SHOW_MISSES").is_ok()
            && (l.sentiment == "negative") != (*lab == Label::Negative)
        {
            eprintln!("MISS {} {:?} {} {}", l.sentiment, lab, l.lang, l.text);
        }
    }
    let f1 = eval::negative_f1(&labels, &neg);
    let auc = eval::auc(&scores, &neg);
    let positives_called_negative = lines
        .iter()
        .zip(&labels)
        .filter(|(l, lab)| l.sentiment == "positive" && **lab == Label::Negative)
        .count();
    let lang = lang_agree as f64 / lines.len() as f64;
    eprintln!(
        "demo: n {} AUC {auc:.3} negative-F1 {f1:.3} positives called negative {positives_called_negative} language agreement {lang:.3}",
        lines.len()
    );
    assert!(auc >= 0.75, "AUC {auc:.3}");
    assert!(f1 >= 0.65, "negative-F1 {f1:.3}");
    assert!(lang >= 0.93, "language agreement {lang:.3}");
}
