//! The one-line input used by the command line (`:`), the filter (`/`) and the picker query.

use unicode_segmentation::UnicodeSegmentation;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    Command,
    Filter,
    /// The help overlay's filter.
    HelpFilter,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineInput {
    pub kind: InputKind,
    pub text: String,
    /// Byte offset, always on a grapheme boundary.
    pub cursor: usize,
    /// The filter to restore when a filter edit is cancelled.
    pub previous: String,
    pub history_pos: Option<usize>,
    /// Tab's candidates while Tab is pressed again and again; any edit ends it.
    pub completion: Option<super::complete::Completion>,
}

impl LineInput {
    pub fn new(kind: InputKind, text: &str, previous: &str) -> Self {
        Self {
            kind,
            text: text.to_string(),
            cursor: text.len(),
            previous: previous.to_string(),
            history_pos: None,
            completion: None,
        }
    }

    pub fn insert(&mut self, s: &str) {
        let clean: String = s
            .chars()
            .map(|c| if c == '\n' || c == '\t' { ' ' } else { c })
            .filter(|c| !c.is_control())
            .collect();
        self.text.insert_str(self.cursor, &clean);
        self.cursor += clean.len();
    }

    fn prev_boundary(&self) -> usize {
        self.text[..self.cursor]
            .grapheme_indices(true)
            .next_back()
            .map(|(i, _)| i)
            .unwrap_or(0)
    }

    fn next_boundary(&self) -> usize {
        self.text[self.cursor..]
            .graphemes(true)
            .next()
            .map(|g| self.cursor + g.len())
            .unwrap_or(self.cursor)
    }

    pub fn backspace(&mut self) {
        let p = self.prev_boundary();
        self.text.replace_range(p..self.cursor, "");
        self.cursor = p;
    }

    pub fn delete_word(&mut self) {
        let before = &self.text[..self.cursor];
        let trimmed = before.trim_end();
        let start = trimmed
            .rfind(char::is_whitespace)
            .map(|i| i + trimmed[i..].chars().next().map_or(1, char::len_utf8))
            .unwrap_or(0);
        self.text.replace_range(start..self.cursor, "");
        self.cursor = start;
    }

    pub fn left(&mut self) {
        self.cursor = self.prev_boundary();
    }
    pub fn right(&mut self) {
        self.cursor = self.next_boundary();
    }
    pub fn start(&mut self) {
        self.cursor = 0;
    }
    pub fn end(&mut self) {
        self.cursor = self.text.len();
    }
    pub fn set(&mut self, text: &str) {
        self.text = text.to_string();
        self.cursor = self.text.len();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_by_grapheme_and_word() {
        let mut l = LineInput::new(InputKind::Command, "", "");
        l.insert("filter lang=pl zażółć");
        l.backspace();
        assert_eq!(l.text, "filter lang=pl zażół");
        l.delete_word();
        assert_eq!(l.text, "filter lang=pl ");
        l.left();
        l.insert("x");
        assert_eq!(l.text, "filter lang=plx ");
        l.insert("a\u{1b}[2J\nb");
        assert_eq!(l.text, "filter lang=plxa[2J b ");
    }
}
