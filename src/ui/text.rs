//! Fitting text into cells by display width, never splitting a grapheme.

use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

/// Display width of a string as the terminal will draw it.
pub fn width(s: &str) -> usize {
    s.graphemes(true).map(UnicodeWidthStr::width).sum()
}

/// At most `max` columns; a cut string ends in '…'. Reads no further than it shows, so a
/// row costs its width, not the length of the text behind it.
pub fn fit(s: &str, max: usize) -> String {
    let mut out = String::new();
    let mut used = 0;
    // Where '…' would go if the rest does not fit.
    let mut before_last = None;
    for g in s.graphemes(true) {
        let w = UnicodeWidthStr::width(g);
        if used + w > max.saturating_sub(1) && before_last.is_none() {
            before_last = Some(out.len());
        }
        if used + w > max {
            if max == 0 {
                return String::new();
            }
            out.truncate(before_last.unwrap_or(0));
            out.push('…');
            return out;
        }
        out.push_str(g);
        used += w;
    }
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

/// Word-wrapped rows of at most `cols` columns (a word longer than a row is cut across
/// rows). The app counts rows with it and the renderer draws them, so both agree.
pub fn wrap(s: &str, cols: usize) -> Vec<String> {
    let cols = cols.max(1);
    let mut rows = Vec::new();
    for line in s.lines() {
        let mut row = String::new();
        let mut used = 0;
        // Each chunk is a word with the spaces after it; a row breaks before a word.
        for chunk in line.split_inclusive(char::is_whitespace) {
            let word = chunk.trim_end();
            if used > 0 && used + width(word) > cols {
                rows.push(std::mem::take(&mut row).trim_end().to_string());
                used = 0;
            }
            for g in chunk.graphemes(true) {
                let gw = UnicodeWidthStr::width(g);
                if used + gw > cols {
                    if g.trim().is_empty() {
                        continue;
                    }
                    rows.push(std::mem::take(&mut row).trim_end().to_string());
                    used = 0;
                }
                row.push_str(g);
                used += gw;
            }
        }
        rows.push(row.trim_end().to_string());
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_at_words_and_cuts_long_ones() {
        assert_eq!(wrap("one two three", 7), ["one two", "three"]);
        assert_eq!(wrap("abcdefghij", 4), ["abcd", "efgh", "ij"]);
        assert_eq!(wrap("a\n\nb", 10), ["a", "", "b"]);
        assert_eq!(
            wrap("how long it takes. Will", 18),
            ["how long it takes.", "Will"]
        );
        assert!(wrap("日本語テキスト ok", 5).iter().all(|r| width(r) <= 5));
    }

    #[test]
    fn never_splits_wide_or_joined_graphemes() {
        assert_eq!(fit("日本語テキスト", 5), "日本…");
        assert_eq!(width(&fit("日本語テキスト", 5)), 5);
        assert_eq!(fit("ab👨‍👩‍👧cd", 4), "ab…");
        assert_eq!(fit("short", 10), "short");
        assert_eq!(fit("anything", 0), "");
        assert_eq!(fit_pad("zażółć gęślą", 8), "zażółć …");
        assert_eq!(width(&fit_pad("x", 4)), 4);
        assert_eq!(fit("abcd", 4), "abcd");
        assert_eq!(fit("abcde", 4), "abc…");
        assert_eq!(fit("ab日", 3), "ab…");
        assert_eq!(fit("a日本", 4), "a日…");
        assert_eq!(fit("a日本", 3), "a…");
        assert_eq!(fit("a日", 3), "a日");
    }
}
