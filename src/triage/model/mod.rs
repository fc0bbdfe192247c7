//! The learned scorer beside the lexicon: a logistic regression over hashed n-grams, learnt
//! online from the team's corrections, and how its word is combined with the lexicon's.
//!
//! The two are combined on z-scores, in the lexicon's own scale before squashing: the
//! model's standardised log-odds, times the spread of the lexicon's sums, weighted by how
//! much the model has seen. The weight starts at zero (with no corrections the score is the
//! lexicon's, exactly) and is bounded, so that a bad stretch of corrections can shift the
//! ranking but never drown the lexicon.

pub mod features;
pub mod logreg;

use compact_str::format_compact;

use crate::model::{Reason, Sentiment};
use crate::triage::sentiment::{label_of, squash, unsquash};

pub use features::Features;
use features::{Source, BITS, BUCKETS};
pub use logreg::LogReg;

/// How the model learns and how much it may count for. Constants of the method (not
/// stored with a model); a struct so that the learning curve can measure alternatives.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Params {
    /// A bucket's first SGD step size; it falls as 1/√(1 + the bucket's updates).
    pub rate: f32,
    /// L2 pull towards zero per step.
    pub l2: f32,
    /// The most the model can count for against the lexicon (lexicon spreads per model
    /// spread), approached only after many corrections.
    pub mix_max: f32,
    /// Corrections at which the bound on the model's weight is half of `mix_max`.
    pub mix_half: f32,
    /// Step size of the learnt combination weight (0: the bound is the weight).
    pub stack_rate: f32,
}

impl Default for Params {
    fn default() -> Self {
        // Measured with `triage-report --curve` (learning curves on labelled posts in six
        // languages): a fast first rate matters most, the learnt weight keeps a file where
        // the model helps less from losing to the lexicon.
        Params {
            rate: 6.0,
            l2: 1e-3,
            mix_max: 3.0,
            mix_half: 500.0,
            stack_rate: 0.03,
        }
    }
}

impl Params {
    /// `name=value,…` over the defaults (for measuring alternatives from the shell).
    pub fn parse(spec: &str) -> Result<Params, String> {
        let mut p = Params::default();
        for kv in spec.split(',').filter(|s| !s.is_empty()) {
            let (k, v) = kv
                .split_once('=')
                .ok_or(format!("{kv}: expected name=value"))?;
            let v: f32 = v.parse().map_err(|_| format!("{kv}: not a number"))?;
            match k {
                "rate" => p.rate = v,
                "l2" => p.l2 = v,
                "mix_max" => p.mix_max = v,
                "mix_half" => p.mix_half = v,
                "stack_rate" => p.stack_rate = v,
                _ => return Err(format!("{k}: unknown parameter")),
            }
        }
        Ok(p)
    }
}
/// Prior for the running spreads, as if this many texts had been seen at the prior values;
/// keeps the z-scores sane over the first corrections.
const PRIOR_N: f64 = 30.0;
/// Prior spread of the lexicon's sums and the model's log-odds.
const PRIOR_SD_LEX: f64 = 1.5;
const PRIOR_SD_MODEL: f64 = 1.0;
/// Model reasons shown: at most this many, each moving the sum at least this much.
const REASONS: usize = 3;
const REASON_MIN: f32 = 0.05;

/// The running spreads forget: they weigh about this many recent texts, so that the
/// model's spread is today's (its log-odds widen as it learns) rather than an average over
/// its early, timid days.
const WINDOW: f64 = 400.0;

/// Running mean and spread (Welford, forgetting beyond `WINDOW`), seeded with a prior.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Running {
    pub n: f64,
    pub mean: f64,
    pub m2: f64,
}

impl Running {
    fn prior(sd: f64) -> Running {
        Running {
            n: PRIOR_N,
            mean: 0.0,
            m2: sd * sd * PRIOR_N,
        }
    }
    fn push(&mut self, x: f64) {
        if self.n >= WINDOW {
            self.m2 *= (WINDOW - 1.0) / WINDOW;
        }
        self.n = (self.n + 1.0).min(WINDOW);
        let d = x - self.mean;
        self.mean += d / self.n;
        self.m2 += d * (x - self.mean);
    }
    fn sd(&self) -> f64 {
        (self.m2 / self.n).sqrt().max(1e-3)
    }
}

/// A brand's learned scorer: the regression, what it has seen, and when it last learnt.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    pub lr: LogReg,
    /// The lexicon's sums and the model's log-odds (before each step) over the texts learnt
    /// from: their spreads make the two comparable.
    pub lex: Running,
    pub margins: Running,
    /// The learnt combination: weights of the lexicon's and the model's z-scores and a bias,
    /// in a logistic regression of "negative" fed each text's scores before the model learnt
    /// from it (so they are honest, held-out scores). Their ratio is the model's weight.
    pub stack: [f32; 3],
    pub params: Params,
    /// Milliseconds since the epoch of the last correction; 0 before any (the caller's
    /// clock: this module reads none).
    pub updated: i64,
}

impl Default for Model {
    fn default() -> Self {
        Model {
            lr: LogReg::default(),
            lex: Running::prior(PRIOR_SD_LEX),
            margins: Running::prior(PRIOR_SD_MODEL),
            stack: [1.0, 0.0, 0.0],
            params: Params::default(),
            updated: 0,
        }
    }
}

/// One n-gram's share of the model's verdict on a text.
#[derive(Debug, Clone, PartialEq)]
pub struct Moved {
    pub ngram: String,
    /// In the lexicon's units (the same as its reasons); negative pulls towards complaint.
    pub weight: f32,
}

impl Model {
    /// Corrections learnt from.
    pub fn corrections(&self) -> u64 {
        self.lr.steps
    }

    pub fn with_params(params: Params) -> Model {
        Model {
            params,
            ..Model::default()
        }
    }

    /// The most the model may count for after this many corrections: 0 with none, growing
    /// towards `mix_max`.
    pub fn bound(&self) -> f32 {
        let k = self.lr.steps as f32;
        self.params.mix_max * k / (k + self.params.mix_half)
    }

    /// How much the model counts for: what the combination learnt, within the bound (the
    /// bound itself when the combination is not learnt).
    pub fn mix(&self) -> f32 {
        if self.params.stack_rate == 0.0 {
            return self.bound();
        }
        let [a, c, _] = self.stack;
        (c / a.max(0.1)).clamp(0.0, self.bound())
    }

    /// Learns from one text the team labelled; `lexicon` is what the lexicon scored it.
    pub fn learn(&mut self, text: &str, lexicon: &Sentiment, negative: bool, now: i64) {
        self.learn_features(&Features::of_text(text), lexicon.score, negative, now);
    }

    pub fn learn_features(&mut self, f: &Features, lexicon_score: f32, negative: bool, now: i64) {
        let p = self.params;
        let m = self.lr.step(f, negative, p.rate, p.l2);
        let raw = f64::from(unsquash(lexicon_score));
        if p.stack_rate > 0.0 {
            // Negativity of each, standardised with what was known before this text.
            let u = -((raw - self.lex.mean) / self.lex.sd()) as f32;
            let v = ((f64::from(m) - self.margins.mean) / self.margins.sd()) as f32;
            let [a, c, b] = &mut self.stack;
            let g = logreg::sigmoid(*a * u + *c * v + *b) - f32::from(u8::from(negative));
            *a -= p.stack_rate * g * u;
            *c -= p.stack_rate * g * v;
            *b -= p.stack_rate * g;
        }
        self.margins.push(f64::from(m));
        self.lex.push(raw);
        self.updated = now;
    }

    /// The lexicon's sentiment of `text` with the model's word added, and the n-grams that
    /// moved it among the reasons. With no corrections, `lexicon` unchanged.
    pub fn combine(&self, text: &str, lexicon: &Sentiment) -> Sentiment {
        if self.lr.steps == 0 {
            return lexicon.clone();
        }
        // Every arrival is combined: the features' buffers are kept from one to the next.
        thread_local! {
            static SCRATCH: std::cell::RefCell<Features> = std::cell::RefCell::default();
        }
        let (margin, moved) = SCRATCH.with_borrow_mut(|f| {
            f.fill(text);
            self.margin_and_moved(f)
        });
        let score = self.combine_margin(margin, lexicon.score);
        let mut reasons = lexicon.reasons.clone();
        for m in moved {
            reasons.push(Reason {
                what: format_compact!("model: \"{}\"", m.ngram),
                weight: m.weight,
            });
        }
        reasons.sort_by(|a, b| b.weight.abs().total_cmp(&a.weight.abs()));
        Sentiment {
            score,
            label: label_of(score),
            reasons,
        }
    }

    /// Lexicon units per unit of the model's log-odds.
    fn gain(&self) -> f32 {
        (f64::from(self.mix()) * self.lex.sd() / self.margins.sd()) as f32
    }

    /// The combined score alone (the hot path: no reasons).
    pub fn combine_features(&self, f: &Features, lexicon_score: f32) -> f32 {
        if self.lr.steps == 0 {
            return lexicon_score;
        }
        self.combine_margin(self.lr.margin(f), lexicon_score)
    }

    /// The combined score from the model's log-odds on the text.
    fn combine_margin(&self, margin: f32, lexicon_score: f32) -> f32 {
        let z = margin - self.margins.mean as f32;
        squash(unsquash(lexicon_score) - self.gain() * z)
    }

    /// The n-grams that moved the model most on this text, strongest first: each word with
    /// its character n-grams, and each word pair.
    pub fn moved(&self, f: &Features) -> Vec<Moved> {
        self.margin_and_moved(f).1
    }

    /// The model's log-odds on the text (as `LogReg::margin`, to the bit) and `moved`, in
    /// one pass over the weights.
    fn margin_and_moved(&self, f: &Features) -> (f32, Vec<Moved>) {
        let k = -self.gain() * f.value;
        // Each source's features stand together (`Features::fill` pushes a word's with the
        // word): summed run by run, with no search for the source.
        let mut by_source: Vec<(Source, f32)> = Vec::new();
        // From −0.0, as `Iterator::sum` adds floats.
        let mut sum = -0.0f32;
        for (&b, &s) in f.buckets.iter().zip(&f.of) {
            let wb = self.lr.w[b as usize];
            sum += wb;
            let w = k * wb;
            match by_source.last_mut() {
                Some((x, total)) if *x == s => *total += w,
                _ => by_source.push((s, w)),
            }
        }
        let margin = self.lr.bias + f.value * sum;
        by_source.retain(|(_, w)| w.abs() >= REASON_MIN);
        by_source.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()));
        let moved = (by_source.into_iter().take(REASONS))
            .map(|(s, weight)| Moved {
                ngram: f.source_text(s),
                weight,
            })
            .collect();
        (margin, moved)
    }
}

/// Weights as stored: int8 with one scale (a quarter of the size of f32; the error is at
/// most half a step of the scale, far below what one correction moves).
#[derive(Debug, Clone, PartialEq)]
pub struct Quantised {
    pub scale: f32,
    pub q: Vec<i8>,
}

pub fn quantise(w: &[f32]) -> Quantised {
    let max = w.iter().fold(0.0f32, |m, x| m.max(x.abs()));
    let scale = if max > 0.0 { max / 127.0 } else { 1.0 };
    let q = w
        .iter()
        .map(|x| (x / scale).round().clamp(-127.0, 127.0) as i8)
        .collect();
    Quantised { scale, q }
}

pub fn dequantise(q: &Quantised) -> Vec<f32> {
    q.q.iter().map(|&x| f32::from(x) * q.scale).collect()
}

/// Start of every stored model.
const MAGIC: &[u8; 8] = b"MODQLRN\0";
/// Layout version; a newer one is refused rather than misread.
pub const VERSION: u16 = 1;

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum LoadError {
    #[error("not a modq model (bad header)")]
    NotAModel,
    #[error("model format version {0} is newer than this modq reads ({VERSION}): upgrade modq")]
    TooNew(u16),
    #[error("model has 2^{0} buckets; this modq uses 2^{BITS}")]
    Buckets(u8),
    #[error("model is truncated or has trailing bytes ({0} bytes)")]
    Length(usize),
}

const HEADER: usize = 8 + 2 + 1 + 8 + 8 + 4 + 6 * 8 + 3 * 4 + 4;

/// Reads little-endian fields in turn; lengths are checked before.
struct Reader<'b> {
    b: &'b [u8],
    at: usize,
}

impl<'b> Reader<'b> {
    fn take(&mut self, n: usize) -> &'b [u8] {
        let s = &self.b[self.at..self.at + n];
        self.at += n;
        s
    }
    fn u64(&mut self) -> u64 {
        u64::from_le_bytes(self.take(8).try_into().expect("8 bytes"))
    }
    fn f64(&mut self) -> f64 {
        f64::from_bits(self.u64())
    }
    fn f32(&mut self) -> f32 {
        f32::from_le_bytes(self.take(4).try_into().expect("4 bytes"))
    }
}

impl Model {
    /// The stored form: header, int8 weights, then the per-bucket update counts
    /// (little-endian throughout).
    pub fn to_bytes(&self) -> Vec<u8> {
        let q = quantise(&self.lr.w);
        let mut out = Vec::with_capacity(HEADER + 2 * BUCKETS);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&VERSION.to_le_bytes());
        out.push(BITS as u8);
        out.extend_from_slice(&self.lr.steps.to_le_bytes());
        out.extend_from_slice(&self.updated.to_le_bytes());
        out.extend_from_slice(&self.lr.bias.to_le_bytes());
        for r in [self.lex, self.margins] {
            for x in [r.n, r.mean, r.m2] {
                out.extend_from_slice(&x.to_le_bytes());
            }
        }
        for x in self.stack {
            out.extend_from_slice(&x.to_le_bytes());
        }
        out.extend_from_slice(&q.scale.to_le_bytes());
        out.extend(q.q.iter().map(|&x| x as u8));
        out.extend_from_slice(&self.lr.seen);
        out
    }

    pub fn from_bytes(b: &[u8]) -> Result<Model, LoadError> {
        if b.len() < 11 || &b[..8] != MAGIC {
            return Err(LoadError::NotAModel);
        }
        let version = u16::from_le_bytes([b[8], b[9]]);
        if version > VERSION {
            return Err(LoadError::TooNew(version));
        }
        if u32::from(b[10]) != BITS {
            return Err(LoadError::Buckets(b[10]));
        }
        if b.len() != HEADER + 2 * BUCKETS {
            return Err(LoadError::Length(b.len()));
        }
        let mut r = Reader { b, at: 11 };
        let steps = r.u64();
        let updated = r.u64() as i64;
        let bias = r.f32();
        let mut running = [Running::prior(1.0); 2];
        for x in &mut running {
            *x = Running {
                n: r.f64(),
                mean: r.f64(),
                m2: r.f64(),
            };
        }
        let stack = [r.f32(), r.f32(), r.f32()];
        let scale = r.f32();
        let q = Quantised {
            scale,
            q: r.take(BUCKETS).iter().map(|&x| x as i8).collect(),
        };
        let seen = r.take(BUCKETS).to_vec();
        Ok(Model {
            lr: LogReg {
                w: dequantise(&q),
                seen,
                bias,
                steps,
            },
            lex: running[0],
            margins: running[1],
            stack,
            params: Params::default(),
            updated,
        })
    }

    /// The buckets with the largest weights, towards complaint (positive) first, for `modq
    /// model show`. Buckets are hashes: the caller names them from texts if it can.
    pub fn top_buckets(&self, n: usize) -> Vec<(u32, f32)> {
        let mut idx: Vec<u32> = (0..BUCKETS as u32)
            .filter(|&b| self.lr.w[b as usize] != 0.0)
            .collect();
        idx.sort_by(|&a, &b| (self.lr.w[b as usize].abs()).total_cmp(&self.lr.w[a as usize].abs()));
        idx.truncate(n);
        idx.into_iter()
            .map(|b| (b, self.lr.w[b as usize]))
            .collect()
    }

    /// Memory the model holds (weights and update counts).
    pub fn memory_bytes(&self) -> usize {
        self.lr.w.len() * std::mem::size_of::<f32>() + self.lr.seen.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::triage::analyse;

    fn trained(n: usize) -> Model {
        let mut m = Model::default();
        let texts = [
            ("the app logs me out again", true),
            ("raduga card blocked, cannot pay", true),
            ("thanks, the new app is lovely", false),
            ("where is the nearest branch?", false),
        ];
        for i in 0..n {
            let (t, neg) = texts[i % texts.len()];
            let lex = analyse(t, Some("en")).sentiment;
            m.learn(t, &lex, neg, 1_000 + i as i64);
        }
        m
    }

    #[test]
    fn with_no_corrections_the_lexicon_score_is_unchanged() {
        let m = Model::default();
        for t in ["the app logs me out", "love it", "where is my parcel"] {
            let lex = analyse(t, Some("en")).sentiment;
            assert_eq!(m.combine(t, &lex), lex);
        }
        assert_eq!(m.mix(), 0.0);
    }

    #[test]
    fn corrections_pull_a_similar_text_towards_its_label_and_say_why() {
        let m = trained(400);
        let t = "app logs me out every morning";
        let lex = analyse(t, Some("en")).sentiment;
        let s = m.combine(t, &lex);
        assert!(s.score < lex.score, "{} !< {}", s.score, lex.score);
        let model_reasons: Vec<_> = (s.reasons.iter())
            .filter(|r| r.what.starts_with("model: "))
            .collect();
        assert!(!model_reasons.is_empty(), "{s:?}");
        assert!(model_reasons.iter().all(|r| r.weight < 0.0), "{s:?}");
        assert!(
            model_reasons.iter().any(|r| r.what.contains("logs")),
            "{s:?}"
        );
    }

    #[test]
    fn the_model_weight_grows_with_corrections_and_is_bounded() {
        let (a, b) = (trained(10).bound(), trained(200).bound());
        assert!(0.0 < a && a < b && b < Params::default().mix_max, "{a} {b}");
        let mut m = Model::default();
        m.lr.steps = u64::MAX / 2;
        m.stack = [0.1, 100.0, 0.0];
        assert!(m.mix() <= Params::default().mix_max);
        // What the combination learnt counts only within the bound.
        let mut few = trained(20);
        few.stack = [0.1, 100.0, 0.0];
        assert_eq!(few.mix(), few.bound());
        assert!(
            trained(200).mix() > 0.0,
            "repeated texts: the model is worth listening to"
        );
    }

    #[test]
    fn a_bad_stretch_moves_a_score_a_bounded_amount() {
        // Every text labelled against the lexicon, many times over: the combined sum stays
        // within mix × (lexicon spread) × (model z-score) of the lexicon's, and the z-score
        // itself is bounded by the clamped weights.
        let mut m = Model::default();
        let t = "thank you so much, wonderful service";
        let lex = analyse(t, Some("en")).sentiment;
        for i in 0..2_000 {
            m.learn(t, &lex, true, i);
        }
        let s = m.combine(t, &lex);
        let shift = unsquash(lex.score) - unsquash(s.score);
        let bound = m.mix() as f64 * m.lex.sd() / m.margins.sd()
            * (2.0 * logreg_max_margin() - m.margins.mean).abs();
        assert!(f64::from(shift) <= bound + 1e-3, "{shift} > {bound}");
        assert!(s.score > -1.0 && s.score < 1.0);
    }

    fn logreg_max_margin() -> f64 {
        // Bias and every feature weight are clamped to ±8; features weigh 1/√n each, so the
        // log-odds of an n-feature text are within 8 + 8√n; short texts here have n < 400.
        8.0 + 8.0 * 20.0
    }

    #[test]
    fn quantising_loses_at_most_half_a_step() {
        let w: Vec<f32> = (0..1000).map(|i| ((i as f32) * 0.37).sin() * 3.0).collect();
        let q = quantise(&w);
        let back = dequantise(&q);
        let worst = w
            .iter()
            .zip(&back)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f32::max);
        assert!(worst <= q.scale / 2.0 + 1e-6, "{worst} > {}", q.scale / 2.0);
        assert_eq!(dequantise(&quantise(&[0.0; 4])), vec![0.0; 4]);
    }

    #[test]
    fn a_stored_model_scores_as_before_and_refuses_what_it_cannot_read() {
        let m = trained(50);
        let bytes = m.to_bytes();
        let back = Model::from_bytes(&bytes).unwrap();
        assert_eq!(back.corrections(), 50);
        assert_eq!(back.updated, m.updated);
        assert_eq!(back.lr.seen, m.lr.seen);
        assert_eq!(back.to_bytes(), bytes, "a second round trip is exact");
        for t in ["app logs me out", "lovely app", "card blocked"] {
            let lex = analyse(t, Some("en")).sentiment;
            let (a, b) = (m.combine(t, &lex).score, back.combine(t, &lex).score);
            assert!((a - b).abs() < 0.01, "{t}: {a} vs {b}");
        }
        assert_eq!(Model::from_bytes(b"hello"), Err(LoadError::NotAModel));
        let mut newer = bytes.clone();
        newer[8] = 9;
        assert_eq!(Model::from_bytes(&newer), Err(LoadError::TooNew(9)));
        assert_eq!(
            Model::from_bytes(&bytes[..bytes.len() - 1]),
            Err(LoadError::Length(bytes.len() - 1))
        );
    }
}
