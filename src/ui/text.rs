//! Fitting text into cells by display width, never splitting a grapheme.

use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

/// Display width of a string as the terminal will draw it.
pub fn width(s: &str) -> usize {
    s.graphemes(true).map(UnicodeWidthStr::width).sum()
}

/// At most `max` columns; a cut string ends in '…'.
pub fn fit(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    if max == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for g in s.graphemes(true) {
        let w = UnicodeWidthStr::width(g);
        if used + w > max - 1 {
            break;
        }
        out.push_str(g);
        used += w;
    }
    out.push('…');
    out
}

/// `fit`, then padded with spaces to exactly `cols` columns.
pub fn fit_pad(s: &str, cols: usize) -> String {
    let mut out = fit(s, cols);
    let w = width(&out);
    out.extend(std::iter::repeat_n(' ', cols.saturating_sub(w)));
    out
}

/// Right-aligned in `cols` columns.
pub fn right(s: &str, cols: usize) -> String {
    let s = fit(s, cols);
    let pad = cols.saturating_sub(width(&s));
    format!("{}{s}", " ".repeat(pad))
}

/// Multi-line post text on one row.
pub fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_splits_wide_or_joined_graphemes() {
        assert_eq!(fit("日本語テキスト", 5), "日本…");
        assert_eq!(width(&fit("日本語テキスト", 5)), 5);
        assert_eq!(fit("ab👨‍👩‍👧cd", 4), "ab…");
        assert_eq!(fit("short", 10), "short");
        assert_eq!(fit("anything", 0), "");
        assert_eq!(fit_pad("zażółć gęślą", 8), "zażółć …");
        assert_eq!(width(&fit_pad("x", 4)), 4);
    }
}
