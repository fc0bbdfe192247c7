//! Keeps triage quality from regressing silently: ROC-AUC (negative vs. the rest) and
//! negative-F1 per file of `../shared/data/sentiment/` stay above floors set a little under
//! the measured figures. Skips, saying so, when the data is not there.

use modq::triage::eval;

/// (file, AUC floor, negative-F1 floor)
const FLOORS: &[(&str, f64, f64)] = &[
    ("en_tweeteval_sentiment_val.tsv", 0.845, 0.505),
    ("en_mozetic2016_tweets.dev.tsv", 0.85, 0.73),
    ("pl_mozetic2016_tweets.dev.tsv", 0.805, 0.67),
    ("pl_polemo2_medicine_sentence_train.tsv", 0.787, 0.64),
    ("ru_mozetic2016_tweets.dev.tsv", 0.87, 0.76),
    ("ru_sentirueval2016_banks_test.tsv", 0.805, 0.605),
    ("bg_mozetic2016_tweets.dev.tsv", 0.815, 0.675),
    ("tr_tsatweets_kulcu2015.dev.tsv", 0.76, 0.68),
];

#[test]
fn quality_stays_above_the_floor() {
    let Some(dir) = eval::data_dir() else {
        eprintln!("SKIPPED: ../shared/data/sentiment is absent, triage quality not measured");
        return;
    };
    let mut failures = Vec::new();
    for (file, auc_floor, f1_floor) in FLOORS {
        let samples = eval::read_tsv(&dir.join(file)).expect(file);
        let q = eval::measure(&samples);
        eprintln!(
            "{file}: AUC {:.3} negative-F1 {:.3} (n = {})",
            q.auc, q.f1, q.n
        );
        if q.auc < *auc_floor || q.f1 < *f1_floor {
            failures.push(format!(
                "{file}: AUC {:.3} (floor {auc_floor}), F1 {:.3} (floor {f1_floor})",
                q.auc, q.f1
            ));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}
