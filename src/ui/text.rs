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
    fit_graphemes(s.graphemes(true), max).0
}

/// `fit` over graphemes as they come, and the width of what it kept.
fn fit_graphemes<'a>(gs: impl Iterator<Item = &'a str>, max: usize) -> (String, usize) {
    let mut out = String::new();
    let mut used = 0;
    // Where '…' would go if the rest does not fit, and the width before it.
    let mut before_last = None;
    for g in gs {
        let w = UnicodeWidthStr::width(g);
        if used + w > max.saturating_sub(1) && before_last.is_none() {
            before_last = Some((out.len(), used));
        }
        if used + w > max {
            if max == 0 {
                return (String::new(), 0);
            }
            let (at, width) = before_last.unwrap_or((0, 0));
            out.truncate(at);
            out.push('…');
            return (out, width + 1);
        }
        out.push_str(g);
        used += w;
    }
    (out, used)
}

/// `fit`, then padded with spaces to exactly `cols` columns.
pub fn fit_pad(s: &str, cols: usize) -> String {
    pad(fit_graphemes(s.graphemes(true), cols), cols)
}

/// A post on one row of `cols` columns (`one_line`, then `fit_pad`), reading only the words
/// the row shows: a queue row costs its width, not the length of the post behind it.
pub fn fit_line_pad(s: &str, cols: usize) -> String {
    let graphemes = s.split_whitespace().enumerate().flat_map(|(i, word)| {
        let space = (i > 0).then_some(" ");
        // ASCII letters are graphemes of their own: no segmentation needed.
        let ascii = word
            .is_ascii()
            .then(|| (0..word.len()).map(move |i| &word[i..i + 1]));
        let other = (!word.is_ascii()).then(|| word.graphemes(true));
        space
            .into_iter()
            .chain(ascii.into_iter().flatten())
            .chain(other.into_iter().flatten())
    });
    pad(fit_graphemes(graphemes, cols), cols)
}

fn pad((mut out, width): (String, usize), cols: usize) -> String {
    out.extend(std::iter::repeat_n(' ', cols.saturating_sub(width)));
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

    #[test]
    fn a_post_on_one_row_reads_only_what_it_shows() {
        let long = format!("first  line\n\tsecond {}", "word ".repeat(10_000));
        for cols in [0, 1, 5, 11, 12, 20, 60] {
            let want = fit_pad(&one_line(&long), cols);
            assert_eq!(fit_line_pad(&long, cols), want, "{cols}");
            assert_eq!(width(&want), cols);
        }
        for s in ["zażółć gęślą jaźń", "日本語 テキスト", "ab👨‍👩‍👧cd e", "", "  "]
        {
            for cols in 0..14 {
                assert_eq!(
                    fit_line_pad(s, cols),
                    fit_pad(&one_line(s), cols),
                    "{s} {cols}"
                );
            }
        }
    }
}
