//! Logistic regression of "negative vs. the rest" over hashed features, learnt online: one
//! stochastic gradient step per labelled text. Each bucket has its own learning rate that
//! falls with how often it has been updated (a frequent n-gram settles, a new one still
//! learns fast), and an L2 pull towards zero applied where a step touches.

use super::features::{Features, BUCKETS};

/// Weights are kept within this (a storage bound for the int8 scale, and a guard against a
/// run of contradictory corrections pushing one n-gram without limit).
pub const W_MAX: f32 = 8.0;

#[derive(Debug, Clone, PartialEq)]
pub struct LogReg {
    pub w: Vec<f32>,
    /// Updates per bucket, saturating: sets the bucket's learning rate.
    pub seen: Vec<u8>,
    pub bias: f32,
    /// Labelled texts learnt from.
    pub steps: u64,
}

impl Default for LogReg {
    fn default() -> Self {
        LogReg {
            w: vec![0.0; BUCKETS],
            seen: vec![0; BUCKETS],
            bias: 0.0,
            steps: 0,
        }
    }
}

pub fn sigmoid(x: f32) -> f32 {
    1.0 / (1.0 + (-x).exp())
}

impl LogReg {
    /// Log-odds that the text is negative.
    pub fn margin(&self, f: &Features) -> f32 {
        self.bias + f.value * f.buckets.iter().map(|&b| self.w[b as usize]).sum::<f32>()
    }

    /// One SGD step on the log loss towards `negative`; returns the margin before the step.
    /// `rate` is a bucket's first step size (it falls as 1/√(1 + updates)), `l2` the pull
    /// towards zero per step.
    pub fn step(&mut self, f: &Features, negative: bool, rate: f32, l2: f32) -> f32 {
        let m = self.margin(f);
        let g = sigmoid(m) - f32::from(u8::from(negative));
        for &b in &f.buckets {
            let b = b as usize;
            let r = rate / (1.0 + f32::from(self.seen[b])).sqrt();
            let w = self.w[b];
            self.w[b] = (w - r * (g * f.value + l2 * w)).clamp(-W_MAX, W_MAX);
            self.seen[b] = self.seen[b].saturating_add(1);
        }
        let r = rate / (1.0 + self.steps as f32).sqrt();
        self.bias = (self.bias - r * g).clamp(-W_MAX, W_MAX);
        self.steps += 1;
        m
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_step_moves_the_margin_towards_the_label() {
        let mut m = LogReg::default();
        let f = Features::of_text("the app logs me out");
        let before = m.margin(&f);
        m.step(&f, true, 0.5, 1e-4);
        let after_neg = m.margin(&f);
        assert!(after_neg > before, "{before} → {after_neg}");
        for _ in 0..3 {
            m.step(&f, false, 0.5, 1e-4);
        }
        assert!(m.margin(&f) < after_neg);
        assert_eq!(m.steps, 4);
    }

    #[test]
    fn a_text_with_no_shared_words_is_barely_moved() {
        let mut m = LogReg::default();
        for _ in 0..20 {
            m.step(
                &Features::of_text("raduga card blocked again"),
                true,
                0.5,
                1e-4,
            );
        }
        let bias = m.bias;
        let f = Features::of_text("xyzzy");
        // Only the bias speaks for an unseen text.
        assert!((m.margin(&f) - bias).abs() < 1e-6);
        assert!(m.margin(&Features::of_text("card blocked")) > bias + 0.5);
    }
}
