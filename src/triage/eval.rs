//! Measuring triage on labelled text: ROC-AUC of "negative vs. the rest" from the score,
//! and F1 of the negative label. Used by the `triage-report` binary and the quality test;
//! the data stays outside the repository (`../shared/data/sentiment/`).

use std::path::{Path, PathBuf};

use crate::model::Label;

/// One labelled text: `lang<TAB>label<TAB>text`.
#[derive(Debug, Clone)]
pub struct Sample {
    pub lang: String,
    pub negative: bool,
    pub text: String,
}

/// The evaluation directory next to the repository, if it is there.
pub fn data_dir() -> Option<PathBuf> {
    let d = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/sentiment");
    d.is_dir().then_some(d)
}

/// The labelled files of the evaluation directory, by name; `None` when it is not there.
pub fn data_files() -> Option<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(data_dir()?)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "tsv"))
        .collect();
    files.sort();
    Some(files)
}

pub fn read_tsv(path: &Path) -> std::io::Result<Vec<Sample>> {
    let src = std::fs::read_to_string(path)?;
    Ok(src
        .lines()
        .skip(1)
        .filter_map(|l| {
            let mut f = l.splitn(3, '\t');
            let (lang, label, text) = (f.next()?, f.next()?, f.next()?);
            Some(Sample {
                lang: lang.to_string(),
                negative: label == "negative",
                text: text.to_string(),
            })
        })
        .collect())
}

/// ROC-AUC of `negative` from negativity (−score), ties counted half (Mann–Whitney).
pub fn auc(scores: &[f32], negative: &[bool]) -> f64 {
    let mut idx: Vec<usize> = (0..scores.len()).collect();
    // Most negative last: rank by negativity ascending.
    idx.sort_by(|&a, &b| (-scores[a]).total_cmp(&-scores[b]));
    let (mut rank_sum, mut i) = (0.0f64, 0usize);
    while i < idx.len() {
        let mut j = i;
        while j + 1 < idx.len() && scores[idx[j + 1]] == scores[idx[i]] {
            j += 1;
        }
        let avg = (i + j) as f64 / 2.0 + 1.0;
        rank_sum += idx[i..=j].iter().filter(|&&k| negative[k]).count() as f64 * avg;
        i = j + 1;
    }
    let pos = negative.iter().filter(|&&n| n).count() as f64;
    let neg = negative.len() as f64 - pos;
    if pos == 0.0 || neg == 0.0 {
        return 0.5;
    }
    (rank_sum - pos * (pos + 1.0) / 2.0) / (pos * neg)
}

/// F1 of the negative class.
pub fn negative_f1(labels: &[Label], negative: &[bool]) -> f64 {
    let (mut tp, mut fp, mut fn_) = (0.0, 0.0, 0.0);
    for (l, &n) in labels.iter().zip(negative) {
        match (*l == Label::Negative, n) {
            (true, true) => tp += 1.0,
            (true, false) => fp += 1.0,
            (false, true) => fn_ += 1.0,
            _ => {}
        }
    }
    if tp == 0.0 {
        0.0
    } else {
        2.0 * tp / (2.0 * tp + fp + fn_)
    }
}

#[derive(Debug, Clone, Copy)]
pub struct Quality {
    pub auc: f64,
    pub f1: f64,
    pub n: usize,
    /// Share of texts where no word, symbol or cue moved the score (it stayed 0).
    pub silent: f64,
}

/// Scores every sample in its declared language.
pub fn measure(samples: &[Sample]) -> Quality {
    let mut scores = Vec::with_capacity(samples.len());
    let mut labels = Vec::with_capacity(samples.len());
    let mut silent = 0usize;
    for s in samples {
        let a = super::analyse(&s.text, Some(&s.lang));
        silent += usize::from(a.sentiment.reasons.is_empty() && a.cues.is_empty());
        scores.push(a.sentiment.score);
        labels.push(a.sentiment.label);
    }
    let neg: Vec<bool> = samples.iter().map(|s| s.negative).collect();
    Quality {
        auc: auc(&scores, &neg),
        f1: negative_f1(&labels, &neg),
        n: samples.len(),
        silent: silent as f64 / samples.len().max(1) as f64,
    }
}

/// Corrections fed before scoring, in the learning curve.
pub const CURVE_KS: [usize; 4] = [0, 250, 1_000, 3_000];
/// Texts left to score for a point of the curve to count.
pub const CURVE_MIN_REST: usize = 800;

/// One point of the learning curve: after `k` corrections, AUC on the texts not learnt from.
#[derive(Debug, Clone, Copy)]
pub struct CurvePoint {
    pub k: usize,
    pub lexicon: f64,
    pub combined: f64,
}

/// `items` in an order fixed by `seed` (Fisher–Yates over splitmix64).
pub fn shuffled<T>(mut items: Vec<T>, seed: u64) -> Vec<T> {
    let mut state = seed;
    let mut next = || {
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    };
    for i in (1..items.len()).rev() {
        let j = (next() % (i as u64 + 1)) as usize;
        items.swap(i, j);
    }
    items
}

/// The learning curve of one labelled file, as a moderator would live it: its rows in a
/// fixed shuffled order, the first `k` fed one by one as corrections, the rest scored by the
/// lexicon alone and with the model. Points where fewer than `CURVE_MIN_REST` rows remain
/// are left out.
pub fn curve(samples: &[Sample], seed: u64, params: super::model::Params) -> Vec<CurvePoint> {
    use super::model::{Features, Model};
    let rows = shuffled((0..samples.len()).collect::<Vec<_>>(), seed);
    let lex: Vec<f32> = (rows.iter())
        .map(|&i| {
            super::analyse(&samples[i].text, Some(&samples[i].lang))
                .sentiment
                .score
        })
        .collect();
    let neg: Vec<bool> = rows.iter().map(|&i| samples[i].negative).collect();
    let mut f = Features::default();
    let mut model = Model::with_params(params);
    let mut fed = 0;
    let mut out = Vec::new();
    for k in CURVE_KS {
        if samples.len() < k + CURVE_MIN_REST {
            break;
        }
        while fed < k {
            f.fill(&samples[rows[fed]].text);
            model.learn_features(&f, lex[fed], neg[fed], 0);
            fed += 1;
        }
        let combined: Vec<f32> = (k..rows.len())
            .map(|r| {
                f.fill(&samples[rows[r]].text);
                model.combine_features(&f, lex[r])
            })
            .collect();
        out.push(CurvePoint {
            k,
            lexicon: auc(&lex[k..], &neg[k..]),
            combined: auc(&combined, &neg[k..]),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auc_of_perfect_random_and_reversed() {
        let neg = [true, true, false, false];
        assert_eq!(auc(&[-0.9, -0.5, 0.1, 0.8], &neg), 1.0);
        assert_eq!(auc(&[0.9, 0.5, -0.1, -0.8], &neg), 0.0);
        assert_eq!(auc(&[0.0; 4], &neg), 0.5);
    }

    #[test]
    fn shuffling_is_fixed_by_the_seed() {
        let a = shuffled((0..50).collect::<Vec<_>>(), 7);
        assert_eq!(a, shuffled((0..50).collect::<Vec<_>>(), 7));
        assert_ne!(a, shuffled((0..50).collect::<Vec<_>>(), 8));
        let mut sorted = a.clone();
        sorted.sort();
        assert_eq!(sorted, (0..50).collect::<Vec<_>>());
    }

    #[test]
    fn f1_counts_the_negative_class() {
        use Label::*;
        let f = negative_f1(
            &[Negative, Negative, Neutral, Positive],
            &[true, false, true, false],
        );
        assert!((f - 0.5).abs() < 1e-9);
    }
}
