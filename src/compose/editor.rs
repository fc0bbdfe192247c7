//! Multi-line compose editor: text buffer, cursor, undo/redo and soft-wrap layout.
//!
//! This is pure logic (no terminal types) so that later features can map
//! arbitrary byte ranges (e.g. spelling findings) onto the same visual rows the
//! renderer draws.
//!
//! Invariants kept by every method, whatever the sequence of calls:
//! - the cursor is a byte offset `<= text.len()` on an extended grapheme
//!   cluster boundary;
//! - the text contains no control characters other than `'\n'` (all input is
//!   sanitized), so logical lines split on `'\n'` always split at grapheme
//!   boundaries and every grapheme has a meaningful display width.

#![forbid(unsafe_code)]

use std::collections::VecDeque;
use std::ops::Range;

use unicode_segmentation::{GraphemeCursor, UnicodeSegmentation};
use unicode_width::UnicodeWidthStr;

/// Maximum number of undo steps kept; the oldest are dropped first.
const UNDO_LIMIT: usize = 500;

/// A multi-line text editor with grapheme-aware editing, undo/redo and
/// soft-wrap layout.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Editor {
    text: String,
    /// Byte offset, always on a grapheme boundary.
    cursor: usize,
    undo: VecDeque<Snapshot>,
    redo: Vec<Snapshot>,
    /// Kind of the most recent edit, used to coalesce typing into one undo step.
    /// Reset by cursor movement and undo/redo.
    last_edit: EditKind,
    /// Display column that `move_up`/`move_down` try to keep; reset by
    /// anything other than vertical movement.
    preferred_col: Option<u16>,
}

/// One visual (soft-wrapped) row: a byte range of the text, without the trailing '\n'.
///
/// A row that ends because of soft wrap may end with one "hanging" whitespace
/// grapheme that does not fit in the width (it is invisible at the row end).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VisualRow {
    pub start: usize,
    pub end: usize,
}

/// Result of [`Editor::layout`]: the visual rows in text order and the display
/// position of the cursor.
///
/// `cursor_col` may equal the width when the cursor is at the end of a full
/// final row, and may exceed it after a single grapheme wider than the width
/// (e.g. a CJK character at width 1); renderers should clamp or reserve a
/// column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    pub rows: Vec<VisualRow>,
    pub cursor_row: usize,
    pub cursor_col: u16,
}

/// One undo/redo entry: the state to restore (`text`, `cursor`) plus the
/// cursor to give the current state when it moves to the opposite stack, so
/// undo puts the cursor where the edit started and redo where it ended.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Snapshot {
    text: String,
    cursor: usize,
    other_cursor: usize,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
enum EditKind {
    /// No edit to coalesce with (fresh editor, after movement, undo or redo).
    #[default]
    None,
    /// Typed a word character.
    TypeWord,
    /// Typed whitespace or punctuation; ends the current typing step.
    TypeSep,
    Backspace,
    Delete,
    /// Paste, newline, word/line deletion, replace: always its own step.
    Other,
}

impl EditKind {
    /// Whether an edit of kind `next` joins the undo step of `self`.
    fn coalesces_with(self, next: EditKind) -> bool {
        use EditKind::*;
        matches!(
            (self, next),
            (TypeWord, TypeWord)
                | (TypeWord, TypeSep)
                | (TypeSep, TypeSep)
                | (Backspace, Backspace)
                | (Delete, Delete)
        )
    }
}

impl Editor {
    pub fn new() -> Self {
        Self::default()
    }

    /// Creates an editor holding `text` (sanitized like a paste) with the
    /// cursor at the end and empty undo history.
    pub fn from_text(text: &str) -> Self {
        let text = sanitize(text);
        let cursor = text.len();
        Self {
            text,
            cursor,
            ..Self::default()
        }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// Cursor as a byte offset into [`Editor::text`].
    pub fn cursor(&self) -> usize {
        self.cursor
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// Moves the cursor to `byte`, clamped to the text length and snapped back
    /// to the start of the grapheme containing it.
    pub fn set_cursor(&mut self, byte: usize) {
        let pos = self.floor_boundary(byte);
        self.move_to(pos);
    }

    /// Types one character. `'\r'` (and NEL / line / paragraph separators)
    /// become a newline; other control characters, including tab, are ignored.
    pub fn insert_char(&mut self, c: char) {
        match normalize_char(c) {
            Some('\n') => self.newline(),
            Some(c) => {
                let kind = if is_word_char(c) {
                    EditKind::TypeWord
                } else {
                    EditKind::TypeSep
                };
                let mut buf = [0u8; 4];
                let at = self.cursor;
                self.apply(at..at, c.encode_utf8(&mut buf), kind);
            }
            None => {}
        }
    }

    /// Inserts pasted text as one undo step: CRLF/CR become `'\n'`, tabs become
    /// a space, other control characters are dropped.
    pub fn insert_str(&mut self, s: &str) {
        let clean = sanitize(s);
        let at = self.cursor;
        self.apply(at..at, &clean, EditKind::Other);
    }

    pub fn newline(&mut self) {
        let at = self.cursor;
        self.apply(at..at, "\n", EditKind::Other);
    }

    /// Deletes the grapheme before the cursor (a whole emoji ZWJ sequence, a
    /// letter with its combining marks). Consecutive backspaces are one undo step.
    pub fn backspace(&mut self) {
        let end = self.cursor;
        let start = self.prev_boundary(end);
        self.apply(start..end, "", EditKind::Backspace);
    }

    /// Deletes the grapheme after the cursor. Consecutive deletes are one undo step.
    pub fn delete(&mut self) {
        let start = self.cursor;
        let end = self.next_boundary(start);
        self.apply(start..end, "", EditKind::Delete);
    }

    /// Deletes back to the start of the previous word (the target of
    /// [`Editor::move_word_left`]); at the start of a line it joins the line
    /// with the previous one.
    pub fn delete_word_back(&mut self) {
        let end = self.cursor;
        let start = self.word_left_target(end);
        self.apply(start..end, "", EditKind::Other);
    }

    /// Deletes from the start of the logical line to the cursor; at the start
    /// of a line it deletes the preceding newline instead (joins lines).
    pub fn delete_to_line_start(&mut self) {
        let end = self.cursor;
        let line_start = self.line_start(end);
        let start = if line_start == end {
            end.saturating_sub(1)
        } else {
            line_start
        };
        self.apply(start..end, "", EditKind::Other);
    }

    /// Deletes from the cursor to the end of the logical line; at the end of a
    /// line it deletes the newline instead (joins lines), like Emacs `C-k`.
    pub fn delete_to_line_end(&mut self) {
        let start = self.cursor;
        let line_end = self.line_end(start);
        let end = if line_end == start {
            (start + 1).min(self.text.len())
        } else {
            line_end
        };
        self.apply(start..end, "", EditKind::Other);
    }

    pub fn move_left(&mut self) {
        let pos = self.prev_boundary(self.cursor);
        self.move_to(pos);
    }

    pub fn move_right(&mut self) {
        let pos = self.next_boundary(self.cursor);
        self.move_to(pos);
    }

    /// Moves to the start of the current or previous word within the line,
    /// skipping whitespace and punctuation; at a line start, moves to the end
    /// of the previous line.
    pub fn move_word_left(&mut self) {
        let pos = self.word_left_target(self.cursor);
        self.move_to(pos);
    }

    /// Moves to the end of the current or next word within the line,
    /// skipping whitespace and punctuation; at a line end, moves to the start
    /// of the next line.
    pub fn move_word_right(&mut self) {
        let pos = self.word_right_target(self.cursor);
        self.move_to(pos);
    }

    pub fn move_line_start(&mut self) {
        let pos = self.line_start(self.cursor);
        self.move_to(pos);
    }

    pub fn move_line_end(&mut self) {
        let pos = self.line_end(self.cursor);
        self.move_to(pos);
    }

    pub fn move_doc_start(&mut self) {
        self.move_to(0);
    }

    pub fn move_doc_end(&mut self) {
        self.move_to(self.text.len());
    }

    /// Moves one visual row up at wrap `width`, keeping the preferred display
    /// column across repeated vertical moves. On the first row, moves to the
    /// start of the text.
    pub fn move_up(&mut self, width: u16) {
        let layout = self.layout(width);
        let col = self.preferred_col.unwrap_or(layout.cursor_col);
        let pos = match layout.cursor_row.checked_sub(1) {
            Some(row) => self.pos_in_row(&layout.rows, row, col),
            None => 0,
        };
        self.move_to(pos);
        self.preferred_col = Some(col);
    }

    /// Moves one visual row down at wrap `width`, keeping the preferred
    /// display column across repeated vertical moves. On the last row, moves
    /// to the end of the text.
    pub fn move_down(&mut self, width: u16) {
        let layout = self.layout(width);
        let col = self.preferred_col.unwrap_or(layout.cursor_col);
        let row = layout.cursor_row + 1;
        let pos = if row < layout.rows.len() {
            self.pos_in_row(&layout.rows, row, col)
        } else {
            self.text.len()
        };
        self.move_to(pos);
        self.preferred_col = Some(col);
    }

    /// Replaces `range` with `with` (sanitized like a paste) as one undo step
    /// and places the cursor after the inserted text.
    ///
    /// The range is clamped to the text and widened to whole graphemes (start
    /// snapped back, end snapped forward); a reversed range is treated as an
    /// empty range at its start.
    pub fn replace_range(&mut self, range: Range<usize>, with: &str) {
        let start = self.floor_boundary(range.start);
        let end = if range.end <= range.start {
            start
        } else {
            self.ceil_boundary(range.end)
        };
        let clean = sanitize(with);
        self.apply(start..end, &clean, EditKind::Other);
    }

    /// Restores the state before the last undo step. Returns false if there is
    /// nothing to undo.
    pub fn undo(&mut self) -> bool {
        let Some(prev) = self.undo.pop_back() else {
            return false;
        };
        let current = self.restore(prev);
        self.redo.push(current);
        true
    }

    /// Re-applies the last undone step. Returns false if there is nothing to redo.
    pub fn redo(&mut self) -> bool {
        let Some(next) = self.redo.pop() else {
            return false;
        };
        let current = self.restore(next);
        self.push_undo(current);
        true
    }

    /// Soft-wraps the text at `width` display columns (0 is treated as 1).
    ///
    /// Lines break after the last whitespace that fits (or around wide
    /// characters such as CJK, which may break anywhere); a word wider than
    /// the width is broken at grapheme boundaries. A whitespace grapheme that
    /// overflows a full row hangs at the end of that row. Wide graphemes are
    /// never split and never share a row beyond the width.
    pub fn layout(&self, width: u16) -> Layout {
        let width = usize::from(width.max(1));
        let mut rows = Vec::new();
        let mut line_start = 0;
        for (nl, _) in self.text.match_indices('\n') {
            wrap_line(&self.text, line_start, nl, width, &mut rows);
            line_start = nl + 1;
        }
        wrap_line(&self.text, line_start, self.text.len(), width, &mut rows);

        let cursor = self.cursor;
        let mut cursor_row = rows.len().saturating_sub(1);
        for (i, row) in rows.iter().enumerate() {
            // A row is the last of its logical line unless a wrapped
            // continuation starts exactly where it ends.
            let last_of_line = rows.get(i + 1).is_none_or(|next| next.start != row.end);
            if (row.start <= cursor && cursor < row.end) || (cursor == row.end && last_of_line) {
                cursor_row = i;
                break;
            }
        }
        let cursor_col = rows
            .get(cursor_row)
            .and_then(|row| self.text.get(row.start..cursor))
            .map_or(0, |s| s.width());
        Layout {
            rows,
            cursor_row,
            cursor_col: u16::try_from(cursor_col).unwrap_or(u16::MAX),
        }
    }

    // ---- internals -------------------------------------------------------

    /// The single mutation primitive: replaces `range` (valid grapheme
    /// boundaries) with `with`, records undo, clears redo.
    fn apply(&mut self, range: Range<usize>, with: &str, kind: EditKind) {
        let Some(old) = self.text.get(range.clone()) else {
            return;
        };
        if old == with {
            // Nothing changes; only honour the cursor placement.
            let target = self.ceil_boundary(range.start + with.len());
            if target != self.cursor {
                self.move_to(target);
            }
            return;
        }
        if !self.last_edit.coalesces_with(kind) || self.undo.is_empty() {
            let snapshot = Snapshot {
                text: self.text.clone(),
                cursor: self.cursor,
                other_cursor: self.cursor,
            };
            self.push_undo(snapshot);
        }
        self.redo.clear();
        let start = range.start;
        self.text.replace_range(range, with);
        // Insertion may merge with neighbours into one grapheme (e.g. a ZWJ
        // between two emoji), so snap forward to stay on a boundary.
        self.cursor = self.ceil_boundary(start + with.len());
        if let Some(step) = self.undo.back_mut() {
            step.other_cursor = self.cursor;
        }
        self.last_edit = kind;
        self.preferred_col = None;
    }

    fn push_undo(&mut self, snapshot: Snapshot) {
        if self.undo.len() >= UNDO_LIMIT {
            self.undo.pop_front();
        }
        self.undo.push_back(snapshot);
    }

    /// Replaces the current state with `snapshot` and returns the old state
    /// as an entry for the opposite stack.
    fn restore(&mut self, snapshot: Snapshot) -> Snapshot {
        let old = Snapshot {
            text: std::mem::replace(&mut self.text, snapshot.text),
            cursor: snapshot.other_cursor,
            other_cursor: snapshot.cursor,
        };
        self.cursor = self.floor_boundary(snapshot.cursor);
        self.last_edit = EditKind::None;
        self.preferred_col = None;
        old
    }

    /// Cursor movement: ends typing coalescing and forgets the preferred column.
    fn move_to(&mut self, pos: usize) {
        self.cursor = self.floor_boundary(pos);
        self.last_edit = EditKind::None;
        self.preferred_col = None;
    }

    fn is_grapheme_boundary(&self, pos: usize) -> bool {
        if !self.text.is_char_boundary(pos) {
            return false;
        }
        GraphemeCursor::new(pos, self.text.len(), true)
            .is_boundary(&self.text, 0)
            .unwrap_or(true)
    }

    /// Largest grapheme boundary `<= pos` (clamped to the text).
    fn floor_boundary(&self, pos: usize) -> usize {
        let mut pos = pos.min(self.text.len());
        while !self.text.is_char_boundary(pos) {
            pos -= 1; // cannot underflow: 0 is always a char boundary
        }
        if self.is_grapheme_boundary(pos) {
            pos
        } else {
            self.prev_boundary(pos)
        }
    }

    /// Smallest grapheme boundary `>= pos` (clamped to the text).
    fn ceil_boundary(&self, pos: usize) -> usize {
        let mut pos = pos.min(self.text.len());
        while !self.text.is_char_boundary(pos) {
            pos += 1; // cannot pass len: len is always a char boundary
        }
        if self.is_grapheme_boundary(pos) {
            pos
        } else {
            self.next_boundary(pos)
        }
    }

    /// Previous grapheme boundary strictly before `pos` (0 at the start).
    /// `pos` must be a char boundary.
    fn prev_boundary(&self, pos: usize) -> usize {
        let mut gc = GraphemeCursor::new(pos, self.text.len(), true);
        match gc.prev_boundary(&self.text, 0) {
            Ok(Some(p)) => p,
            _ => 0,
        }
    }

    /// Next grapheme boundary strictly after `pos` (text length at the end).
    /// `pos` must be a char boundary.
    fn next_boundary(&self, pos: usize) -> usize {
        let mut gc = GraphemeCursor::new(pos, self.text.len(), true);
        match gc.next_boundary(&self.text, 0) {
            Ok(Some(p)) => p,
            _ => self.text.len(),
        }
    }

    fn line_start(&self, pos: usize) -> usize {
        self.text
            .get(..pos)
            .and_then(|s| s.rfind('\n'))
            .map_or(0, |i| i + 1)
    }

    fn line_end(&self, pos: usize) -> usize {
        self.text
            .get(pos..)
            .and_then(|s| s.find('\n'))
            .map_or(self.text.len(), |i| pos + i)
    }

    fn word_left_target(&self, pos: usize) -> usize {
        let line_start = self.line_start(pos);
        if pos == line_start {
            return pos.saturating_sub(1);
        }
        let line_end = self.line_end(pos);
        let line = self.text.get(line_start..line_end).unwrap_or("");
        let mut target = line_start;
        for (i, segment) in line.split_word_bound_indices() {
            let start = line_start + i;
            if start >= pos {
                break;
            }
            if is_word(segment) {
                target = start;
            }
        }
        self.floor_boundary(target)
    }

    fn word_right_target(&self, pos: usize) -> usize {
        let line_end = self.line_end(pos);
        if pos == line_end {
            return (pos + 1).min(self.text.len());
        }
        let line_start = self.line_start(pos);
        let line = self.text.get(line_start..line_end).unwrap_or("");
        line.split_word_bound_indices()
            .map(|(i, segment)| (line_start + i + segment.len(), segment))
            .find(|&(end, segment)| end > pos && is_word(segment))
            .map_or(line_end, |(end, _)| self.ceil_boundary(end))
    }

    /// Byte offset in visual row `row` closest to display column `col` without
    /// passing it. On a wrapped (non-final) row the row end is excluded, since
    /// that position is displayed at the start of the next row.
    fn pos_in_row(&self, rows: &[VisualRow], row: usize, col: u16) -> usize {
        let Some(r) = rows.get(row) else {
            return self.text.len();
        };
        let last_of_line = rows.get(row + 1).is_none_or(|next| next.start != r.end);
        let col = usize::from(col);
        let mut pos = r.start;
        let mut w = 0;
        let row_text = self.text.get(r.start..r.end).unwrap_or("");
        for (i, g) in row_text.grapheme_indices(true) {
            let gw = g.width();
            let next = r.start + i + g.len();
            if w + gw > col || (next == r.end && !last_of_line) {
                break;
            }
            w += gw;
            pos = next;
        }
        pos
    }
}

/// Wraps the logical line `text[start..end]` (no '\n' inside) into `rows`.
fn wrap_line(text: &str, start: usize, end: usize, width: usize, rows: &mut Vec<VisualRow>) {
    let line = text.get(start..end).unwrap_or("");
    let mut row_start = start;
    let mut row_w = 0usize;
    // Byte offset after which the row may be broken (after whitespace, around
    // wide characters).
    let mut last_break: Option<usize> = None;
    for (i, g) in line.grapheme_indices(true) {
        let off = start + i;
        let g_end = off + g.len();
        let gw = g.width();
        let ws = is_whitespace(g);
        let wide = gw >= 2 && !ws;
        if wide && off > row_start {
            last_break = Some(off);
        }
        if row_w + gw > width && off > row_start {
            if ws && row_w <= width {
                // The whitespace that triggers the wrap hangs at the row end.
                rows.push(VisualRow {
                    start: row_start,
                    end: g_end,
                });
                row_start = g_end;
                row_w = 0;
                last_break = None;
                continue;
            }
            let mut wrapped = false;
            if let Some(b) = last_break.filter(|&b| b > row_start && b < off && !ws) {
                // Carry the partial word to the next row if it then fits.
                let carried = text.get(b..off).map_or(0, |s| s.width());
                if carried + gw <= width {
                    rows.push(VisualRow {
                        start: row_start,
                        end: b,
                    });
                    row_start = b;
                    row_w = carried;
                    wrapped = true;
                }
            }
            if !wrapped {
                // Break right before this grapheme.
                rows.push(VisualRow {
                    start: row_start,
                    end: off,
                });
                row_start = off;
                row_w = 0;
            }
            last_break = None;
        }
        row_w += gw;
        if ws || wide {
            last_break = Some(g_end);
        }
    }
    rows.push(VisualRow {
        start: row_start,
        end,
    });
}

/// Maps an input character to what the editor stores: line separators become
/// `'\n'`, other control characters are rejected.
fn normalize_char(c: char) -> Option<char> {
    match c {
        '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}' => Some('\n'),
        c if c.is_control() => None,
        c => Some(c),
    }
}

/// Paste sanitizing: CRLF/CR to '\n', tab to space, other controls dropped.
fn sanitize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                chars.next_if_eq(&'\n');
                out.push('\n');
            }
            '\t' => out.push(' '),
            c => {
                if let Some(c) = normalize_char(c) {
                    out.push(c);
                }
            }
        }
    }
    out
}

/// Characters whose consecutive typing is coalesced into one undo step.
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// A word-boundary segment that counts as a word for word movement.
fn is_word(segment: &str) -> bool {
    segment.chars().any(is_word_char)
}

fn is_whitespace(g: &str) -> bool {
    g.chars().all(char::is_whitespace)
}

#[cfg(test)]
mod tests {
    use super::*;

    const FAMILY: &str = "👨\u{200D}👩\u{200D}👧";
    const E_ACUTE: &str = "e\u{301}";

    fn type_str(ed: &mut Editor, s: &str) {
        for c in s.chars() {
            ed.insert_char(c);
        }
    }

    fn row_texts(ed: &Editor, width: u16) -> Vec<&str> {
        ed.layout(width)
            .rows
            .iter()
            .map(|r| &ed.text()[r.start..r.end])
            .collect()
    }

    fn at(text: &str, cursor: usize) -> Editor {
        let mut ed = Editor::from_text(text);
        ed.set_cursor(cursor);
        ed
    }

    fn grapheme_boundaries(text: &str) -> Vec<usize> {
        let mut b: Vec<usize> = text.grapheme_indices(true).map(|(i, _)| i).collect();
        b.push(text.len());
        b
    }

    /// Checks all layout invariants; returns the layout.
    fn check_layout(ed: &Editor, width: u16) -> Layout {
        let text = ed.text();
        let w = usize::from(width.max(1));
        let layout = ed.layout(width);
        let bounds = grapheme_boundaries(text);
        assert!(!layout.rows.is_empty());
        assert_eq!(layout.rows[0].start, 0);
        assert_eq!(layout.rows.last().unwrap().end, text.len());
        for pair in layout.rows.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            assert!(
                b.start == a.end || (b.start == a.end + 1 && &text[a.end..b.start] == "\n"),
                "rows not contiguous: {a:?} {b:?} in {text:?}"
            );
        }
        for row in &layout.rows {
            assert!(row.start <= row.end);
            assert!(bounds.binary_search(&row.start).is_ok());
            assert!(bounds.binary_search(&row.end).is_ok());
            let s = &text[row.start..row.end];
            assert!(!s.contains('\n'));
            let graphemes: Vec<&str> = s.graphemes(true).collect();
            let visible = match graphemes.last() {
                Some(g) if is_whitespace(g) => &graphemes[..graphemes.len() - 1],
                _ => &graphemes[..],
            };
            let vw: usize = visible.iter().map(|g| g.width()).sum();
            assert!(
                vw <= w || graphemes.len() == 1,
                "row {s:?} too wide ({vw}) for width {w}"
            );
        }
        let row = layout.rows[layout.cursor_row];
        assert!(row.start <= ed.cursor() && ed.cursor() <= row.end);
        assert_eq!(
            usize::from(layout.cursor_col),
            text[row.start..ed.cursor()].width()
        );
        // Only a single grapheme wider than the width can push the cursor past it.
        assert!(
            usize::from(layout.cursor_col) <= w
                || text[row.start..row.end].graphemes(true).count() == 1,
            "{text:?} {} {layout:?} w={w}",
            ed.cursor()
        );
        layout
    }

    fn check_invariants(ed: &Editor) {
        let c = ed.cursor();
        assert!(c <= ed.text().len());
        assert!(ed.text().is_char_boundary(c));
        assert!(
            grapheme_boundaries(ed.text()).binary_search(&c).is_ok(),
            "cursor {c} not on a grapheme boundary in {:?}",
            ed.text()
        );
        assert!(!ed.text().chars().any(|ch| ch.is_control() && ch != '\n'));
    }

    // ---- construction & accessors ----

    #[test]
    fn new_is_empty() {
        let ed = Editor::new();
        assert!(ed.is_empty());
        assert_eq!(ed.text(), "");
        assert_eq!(ed.cursor(), 0);
        assert_eq!(ed, Editor::default());
    }

    #[test]
    fn from_text_puts_cursor_at_end_and_sanitizes() {
        let ed = Editor::from_text("a\r\nb\tc\u{7}");
        assert_eq!(ed.text(), "a\nb c");
        assert_eq!(ed.cursor(), ed.text().len());
        assert!(!ed.is_empty());
        let mut ed = ed;
        assert!(!ed.undo(), "from_text starts with no history");
    }

    #[test]
    fn set_cursor_clamps_and_snaps_back() {
        let text = format!("a{FAMILY}b");
        let mut ed = Editor::from_text(&text);
        ed.set_cursor(1000);
        assert_eq!(ed.cursor(), text.len());
        ed.set_cursor(3); // inside the first emoji's bytes
        assert_eq!(ed.cursor(), 1);
        ed.set_cursor(1 + 4 + 3); // after the ZWJ, mid-cluster
        assert_eq!(ed.cursor(), 1);
        ed.set_cursor(1 + FAMILY.len());
        assert_eq!(ed.cursor(), 1 + FAMILY.len());
        let mut ed = Editor::from_text("zażółć");
        ed.set_cursor(3); // inside 'ż'
        assert_eq!(ed.cursor(), 2);
    }

    // ---- insertion ----

    #[test]
    fn insert_char_and_control_handling() {
        let mut ed = Editor::new();
        type_str(&mut ed, "ab");
        ed.insert_char('\r');
        ed.insert_char('\t');
        ed.insert_char('\u{1b}');
        ed.insert_char('c');
        assert_eq!(ed.text(), "ab\nc");
        assert_eq!(ed.cursor(), 4);
        ed.set_cursor(1);
        ed.insert_char('X');
        assert_eq!(ed.text(), "aXb\nc");
        assert_eq!(ed.cursor(), 2);
    }

    #[test]
    fn insert_str_paste_with_crlf_is_one_step() {
        let mut ed = Editor::from_text("> ");
        ed.insert_str("line1\r\nline2\rline3\n\tend\u{0}\u{7f}!");
        assert_eq!(ed.text(), "> line1\nline2\nline3\n end!");
        assert_eq!(ed.cursor(), ed.text().len());
        assert!(ed.undo());
        assert_eq!(ed.text(), "> ");
        assert_eq!(ed.cursor(), 2);
        assert!(!ed.undo());
    }

    #[test]
    fn insert_str_of_only_controls_is_noop() {
        let mut ed = Editor::from_text("x");
        ed.insert_str("\u{7}\u{1b}");
        assert_eq!(ed.text(), "x");
        assert!(!ed.undo());
    }

    #[test]
    fn newline_is_its_own_step() {
        let mut ed = Editor::new();
        type_str(&mut ed, "hi");
        ed.newline();
        type_str(&mut ed, "yo");
        assert_eq!(ed.text(), "hi\nyo");
        assert!(ed.undo());
        assert_eq!(ed.text(), "hi\n");
        assert!(ed.undo());
        assert_eq!(ed.text(), "hi");
        assert!(ed.undo());
        assert_eq!(ed.text(), "");
    }

    #[test]
    fn inserting_zwj_between_emoji_keeps_cursor_on_boundary() {
        let mut ed = at("👨👩", 4);
        ed.insert_char('\u{200D}');
        assert_eq!(ed.text(), "👨\u{200D}👩");
        check_invariants(&ed);
        assert_eq!(ed.cursor(), ed.text().len());
    }

    // ---- deletion ----

    #[test]
    fn backspace_removes_whole_emoji_zwj_sequence() {
        let mut ed = Editor::from_text(&format!("a{FAMILY}"));
        ed.backspace();
        assert_eq!(ed.text(), "a");
        assert_eq!(ed.cursor(), 1);
        ed.backspace();
        ed.backspace();
        assert_eq!(ed.text(), "");
        assert_eq!(ed.cursor(), 0);
    }

    #[test]
    fn backspace_removes_letter_with_combining_mark() {
        let mut ed = Editor::from_text(&format!("caf{E_ACUTE}"));
        ed.backspace();
        assert_eq!(ed.text(), "caf");
    }

    #[test]
    fn delete_removes_next_grapheme() {
        let mut ed = at(&format!("{E_ACUTE}{FAMILY}x"), 0);
        ed.delete();
        assert_eq!(ed.text(), format!("{FAMILY}x"));
        ed.delete();
        assert_eq!(ed.text(), "x");
        assert_eq!(ed.cursor(), 0);
        ed.move_doc_end();
        ed.delete(); // at end: no-op
        assert_eq!(ed.text(), "x");
    }

    #[test]
    fn delete_word_back() {
        let mut ed = Editor::from_text("hello, world  ");
        ed.delete_word_back();
        assert_eq!(ed.text(), "hello, ");
        ed.delete_word_back();
        assert_eq!(ed.text(), "");
        ed.delete_word_back(); // at start: no-op
        assert_eq!(ed.text(), "");
        let mut ed = at("ab\ncd", 3);
        ed.delete_word_back(); // at line start: joins lines
        assert_eq!(ed.text(), "abcd");
        assert_eq!(ed.cursor(), 2);
        let mut ed = Editor::from_text("ab\n  cd");
        ed.delete_word_back();
        ed.delete_word_back(); // only whitespace left in the line: to line start
        assert_eq!(ed.text(), "ab\n");
        assert!(ed.undo());
        assert_eq!(ed.text(), "ab\n  ");
    }

    #[test]
    fn delete_to_line_start_and_end() {
        let mut ed = Editor::from_text("ab\ncd ef");
        ed.delete_to_line_start();
        assert_eq!(ed.text(), "ab\n");
        ed.delete_to_line_start(); // at line start: joins
        assert_eq!(ed.text(), "ab");
        let mut ed = at("ab\ncd", 1);
        ed.delete_to_line_end();
        assert_eq!(ed.text(), "a\ncd");
        ed.delete_to_line_end(); // at line end: joins
        assert_eq!(ed.text(), "acd");
        assert_eq!(ed.cursor(), 1);
        ed.move_doc_end();
        ed.delete_to_line_end(); // at doc end: no-op
        assert_eq!(ed.text(), "acd");
    }

    // ---- movement ----

    #[test]
    fn move_left_right_by_grapheme() {
        let text = format!("a{FAMILY}{E_ACUTE}");
        let mut ed = at(&text, 0);
        ed.move_right();
        assert_eq!(ed.cursor(), 1);
        ed.move_right();
        assert_eq!(ed.cursor(), 1 + FAMILY.len());
        ed.move_right();
        assert_eq!(ed.cursor(), text.len());
        ed.move_right();
        assert_eq!(ed.cursor(), text.len());
        ed.move_left();
        assert_eq!(ed.cursor(), 1 + FAMILY.len());
        ed.move_left();
        ed.move_left();
        ed.move_left();
        assert_eq!(ed.cursor(), 0);
    }

    #[test]
    fn word_movement_polish() {
        let text = "zażółć gęślą jaźń";
        let g = text.find("gęślą").unwrap();
        let j = text.find("jaźń").unwrap();
        let mut ed = Editor::from_text(text);
        ed.move_word_left();
        assert_eq!(ed.cursor(), j);
        ed.move_word_left();
        assert_eq!(ed.cursor(), g);
        ed.move_word_left();
        assert_eq!(ed.cursor(), 0);
        ed.move_word_right();
        assert_eq!(ed.cursor(), "zażółć".len());
        ed.move_word_right();
        assert_eq!(ed.cursor(), g + "gęślą".len());
        ed.move_word_right();
        assert_eq!(ed.cursor(), text.len());
    }

    #[test]
    fn word_movement_russian_and_punctuation() {
        let text = "не доволен, заказом!!";
        let d = text.find("доволен").unwrap();
        let z = text.find("заказом").unwrap();
        let mut ed = at(text, 0);
        ed.move_word_right();
        assert_eq!(ed.cursor(), "не".len());
        ed.move_word_right();
        assert_eq!(ed.cursor(), d + "доволен".len());
        ed.move_word_right();
        assert_eq!(ed.cursor(), z + "заказом".len());
        ed.move_word_right(); // no more words: line end
        assert_eq!(ed.cursor(), text.len());
        ed.move_word_left();
        assert_eq!(ed.cursor(), z);
        ed.set_cursor(d + 4); // mid-word
        ed.move_word_left();
        assert_eq!(ed.cursor(), d);
    }

    #[test]
    fn word_movement_crosses_lines_one_step_at_a_time() {
        let mut ed = at("ab\n  cd", 3);
        ed.move_word_left();
        assert_eq!(ed.cursor(), 2);
        ed.move_word_right();
        assert_eq!(ed.cursor(), 3);
        ed.move_word_right();
        assert_eq!(ed.cursor(), 7);
        ed.set_cursor(5);
        ed.move_word_left(); // only whitespace before: to line start
        assert_eq!(ed.cursor(), 3);
    }

    #[test]
    fn line_and_doc_movement() {
        let mut ed = at("one\ntwo\nthree", 5);
        ed.move_line_start();
        assert_eq!(ed.cursor(), 4);
        ed.move_line_end();
        assert_eq!(ed.cursor(), 7);
        ed.move_line_end();
        assert_eq!(ed.cursor(), 7);
        ed.move_doc_start();
        assert_eq!(ed.cursor(), 0);
        ed.move_line_start();
        assert_eq!(ed.cursor(), 0);
        ed.move_doc_end();
        assert_eq!(ed.cursor(), 13);
        ed.move_line_start();
        assert_eq!(ed.cursor(), 8);
    }

    #[test]
    fn move_up_down_keeps_column_across_short_line() {
        let text = "hello world\nhi\nanother line";
        let mut ed = at(text, 8);
        ed.move_down(80);
        assert_eq!(ed.cursor(), 14); // end of "hi"
        ed.move_down(80);
        assert_eq!(ed.cursor(), 15 + 8);
        ed.move_up(80);
        assert_eq!(ed.cursor(), 14);
        ed.move_up(80);
        assert_eq!(ed.cursor(), 8);
        ed.move_up(80); // first row: to doc start, column remembered
        assert_eq!(ed.cursor(), 0);
        ed.move_down(80);
        assert_eq!(ed.cursor(), 14);
        ed.move_down(80);
        ed.move_down(80); // last row: to doc end
        assert_eq!(ed.cursor(), text.len());
        // horizontal movement resets the preferred column
        ed.move_doc_start();
        ed.move_right();
        ed.move_down(80);
        assert_eq!(ed.cursor(), 13);
    }

    #[test]
    fn move_up_down_by_visual_row() {
        let mut ed = at("abcdefghij", 2);
        ed.move_down(5);
        assert_eq!(ed.cursor(), 7);
        ed.move_up(5);
        assert_eq!(ed.cursor(), 2);
        // column 5 is not reachable on a wrapped full row (it displays on the next row)
        let mut ed = at("abcdefghij", 10);
        ed.move_up(5);
        assert_eq!(ed.cursor(), 4);
        let l = ed.layout(5);
        assert_eq!((l.cursor_row, l.cursor_col), (0, 4));
    }

    #[test]
    fn move_up_down_with_wide_chars() {
        // Column 3 falls in the middle of a CJK char: stay before it.
        let mut ed = at("abcd\n中文字", 3);
        ed.move_down(80);
        assert_eq!(ed.cursor(), 5 + "中".len());
        ed.move_up(80);
        assert_eq!(ed.cursor(), 3, "preferred column survives");
    }

    // ---- replace_range ----

    #[test]
    fn replace_range_basic_and_undo() {
        let mut ed = at("hello wrold!", 0);
        ed.replace_range(6..11, "world");
        assert_eq!(ed.text(), "hello world!");
        assert_eq!(ed.cursor(), 11);
        assert!(ed.undo());
        assert_eq!(ed.text(), "hello wrold!");
        assert_eq!(ed.cursor(), 0);
        assert!(ed.redo());
        assert_eq!(ed.text(), "hello world!");
    }

    #[test]
    fn replace_range_out_of_bounds() {
        let mut ed = Editor::from_text("hello");
        ed.replace_range(3..100, "p!");
        assert_eq!(ed.text(), "help!");
        ed.replace_range(100..200, " me");
        assert_eq!(ed.text(), "help! me");
        assert_eq!(ed.cursor(), 8);
        #[allow(clippy::reversed_empty_ranges)]
        ed.replace_range(4..1, "?");
        assert_eq!(ed.text(), "help?! me");
        assert_eq!(ed.cursor(), 5);
        ed.replace_range(usize::MAX..usize::MAX, "");
        assert_eq!(ed.cursor(), 9);
        check_invariants(&ed);
    }

    #[test]
    fn replace_range_mid_char_widens_to_graphemes() {
        let mut ed = Editor::from_text("zażółć");
        ed.replace_range(3..4, "z"); // inside 'ż'
        assert_eq!(ed.text(), "zazółć");
        let mut ed = Editor::from_text(&format!("caf{E_ACUTE}!"));
        ed.replace_range(3..4, "e"); // the base letter only: takes the mark along
        assert_eq!(ed.text(), "cafe!");
        assert_eq!(ed.cursor(), 4);
        let mut ed = Editor::from_text(&format!("x{FAMILY}y"));
        ed.replace_range(6..7, "🙂");
        assert_eq!(ed.text(), "x🙂y");
        check_invariants(&ed);
    }

    #[test]
    fn replace_range_identical_only_moves_cursor() {
        let mut ed = at("same", 0);
        ed.replace_range(0..4, "same");
        assert_eq!(ed.cursor(), 4);
        assert!(!ed.undo());
    }

    // ---- undo / redo ----

    #[test]
    fn typing_coalesces_per_word() {
        let mut ed = Editor::new();
        type_str(&mut ed, "hello world");
        assert!(ed.undo());
        assert_eq!(ed.text(), "hello ");
        assert_eq!(ed.cursor(), 6);
        assert!(ed.undo());
        assert_eq!(ed.text(), "");
        assert!(!ed.undo());
        assert!(ed.redo());
        assert_eq!(ed.text(), "hello ");
        assert!(ed.redo());
        assert_eq!(ed.text(), "hello world");
        assert!(!ed.redo());
    }

    #[test]
    fn punctuation_run_joins_word_then_new_step() {
        let mut ed = Editor::new();
        type_str(&mut ed, "ok?! fine");
        assert!(ed.undo());
        assert_eq!(ed.text(), "ok?! ");
        assert!(ed.undo());
        assert_eq!(ed.text(), "");
    }

    #[test]
    fn movement_breaks_coalescing() {
        let mut ed = Editor::new();
        type_str(&mut ed, "ab");
        ed.move_left();
        ed.move_right();
        type_str(&mut ed, "cd");
        assert!(ed.undo());
        assert_eq!(ed.text(), "ab");
        assert!(ed.undo());
        assert_eq!(ed.text(), "");
    }

    #[test]
    fn different_edit_kind_breaks_coalescing() {
        let mut ed = Editor::new();
        type_str(&mut ed, "abc");
        ed.backspace();
        ed.backspace();
        type_str(&mut ed, "x");
        assert_eq!(ed.text(), "ax");
        assert!(ed.undo());
        assert_eq!(ed.text(), "a");
        assert!(ed.undo(), "consecutive backspaces are one step");
        assert_eq!(ed.text(), "abc");
        assert!(ed.undo());
        assert_eq!(ed.text(), "");
    }

    #[test]
    fn consecutive_deletes_coalesce() {
        let mut ed = at("abcd", 0);
        ed.delete();
        ed.delete();
        assert_eq!(ed.text(), "cd");
        assert!(ed.undo());
        assert_eq!(ed.text(), "abcd");
        assert_eq!(ed.cursor(), 0);
    }

    #[test]
    fn new_edit_clears_redo() {
        let mut ed = Editor::new();
        type_str(&mut ed, "abc");
        assert!(ed.undo());
        ed.insert_char('x');
        assert!(!ed.redo());
        assert_eq!(ed.text(), "x");
    }

    #[test]
    fn undo_redo_restore_cursor() {
        let mut ed = at("hello", 2);
        ed.insert_str("XY");
        ed.move_doc_end();
        assert!(ed.undo());
        assert_eq!((ed.text(), ed.cursor()), ("hello", 2));
        assert!(ed.redo());
        assert_eq!((ed.text(), ed.cursor()), ("heXYllo", 4));
    }

    #[test]
    fn undo_stack_is_capped() {
        let mut ed = Editor::new();
        for _ in 0..600 {
            ed.newline();
        }
        let mut n = 0;
        while ed.undo() {
            n += 1;
        }
        assert_eq!(n, UNDO_LIMIT);
        assert_eq!(ed.text().len(), 100);
        let mut r = 0;
        while ed.redo() {
            r += 1;
        }
        assert_eq!(r, UNDO_LIMIT);
        assert_eq!(ed.text().len(), 600);
    }

    // ---- layout ----

    #[test]
    fn layout_empty_and_trailing_newline() {
        let ed = Editor::new();
        let l = ed.layout(10);
        assert_eq!(l.rows, vec![VisualRow { start: 0, end: 0 }]);
        assert_eq!((l.cursor_row, l.cursor_col), (0, 0));
        let ed = Editor::from_text("ab\n");
        let l = check_layout(&ed, 10);
        assert_eq!(
            l.rows,
            vec![
                VisualRow { start: 0, end: 2 },
                VisualRow { start: 3, end: 3 }
            ]
        );
        assert_eq!((l.cursor_row, l.cursor_col), (1, 0));
        let ed = Editor::from_text("a\n\nb");
        assert_eq!(row_texts(&ed, 10), vec!["a", "", "b"]);
    }

    #[test]
    fn layout_wraps_at_whitespace() {
        let ed = Editor::from_text("The quick brown fox jumps over the lazy dog");
        assert_eq!(
            row_texts(&ed, 10),
            vec![
                "The quick ",
                "brown fox ",
                "jumps over ",
                "the lazy ",
                "dog"
            ]
        );
        check_layout(&ed, 10);
    }

    #[test]
    fn layout_long_paragraph_at_various_widths() {
        let para = "Hi Anna, thanks for reaching out! We're sorry your order \
            #48213 arrived damaged. A replacement has been dispatched today via \
            express courier and should reach you within 2-3 business days; \
            you'll receive a tracking link by email shortly. Supercalifragilistic \
            apologies for the inconvenience.";
        let ed = Editor::from_text(para);
        for width in [1u16, 2, 10, 40] {
            let l = check_layout(&ed, width);
            let w = usize::from(width);
            // greedy: a row broken after whitespace could not have taken the next word
            for pair in l.rows.windows(2) {
                let row = &para[pair[0].start..pair[0].end];
                let next = &para[pair[1].start..pair[1].end];
                if row.ends_with(' ') && !next.starts_with(' ') {
                    let first_word = next.split(' ').next().unwrap();
                    assert!(
                        row.trim_end().width() + 1 + first_word.width() > w,
                        "{row:?} could hold {first_word:?} at width {w}"
                    );
                }
            }
            let rebuilt: String = l.rows.iter().map(|r| &para[r.start..r.end]).collect();
            assert_eq!(rebuilt, para);
        }
        assert!(row_texts(&ed, 1).iter().all(|r| r.chars().count() <= 2));
        assert!(row_texts(&ed, 40).iter().any(|r| r.starts_with("Supercal")));
        let rows10 = row_texts(&ed, 10);
        assert!(rows10.contains(&"Supercalif"), "{rows10:?}");
    }

    #[test]
    fn layout_cjk_and_wide_chars() {
        let ed = Editor::from_text("中文字符测试");
        assert_eq!(row_texts(&ed, 4), vec!["中文", "字符", "测试"]);
        assert_eq!(row_texts(&ed, 5), vec!["中文", "字符", "测试"]);
        assert_eq!(row_texts(&ed, 1), vec!["中", "文", "字", "符", "测", "试"]);
        assert_eq!(row_texts(&ed, 0), row_texts(&ed, 1));
        // CJK fills the row after latin text instead of being carried whole
        let ed = Editor::from_text("hello 中文中文中文");
        assert_eq!(row_texts(&ed, 10), vec!["hello 中文", "中文中文"]);
        let ed = Editor::from_text(&format!("ab{FAMILY}cd"));
        assert_eq!(row_texts(&ed, 3), vec!["ab", FAMILY, "cd"]);
        for w in 0..8 {
            check_layout(&ed, w);
        }
    }

    #[test]
    fn layout_zero_width_and_combining() {
        let text = format!("a\u{200B}b{E_ACUTE}");
        let ed = Editor::from_text(&text);
        let l = check_layout(&ed, 3);
        assert_eq!(l.rows.len(), 1);
        assert_eq!(l.cursor_col, 3);
    }

    #[test]
    fn layout_cursor_after_wrap() {
        let mut ed = Editor::from_text("hello world");
        assert_eq!(row_texts(&ed, 5), vec!["hello ", "world"]);
        let l = ed.layout(5);
        assert_eq!((l.cursor_row, l.cursor_col), (1, 5));
        ed.set_cursor(6); // after the hanging space
        let l = ed.layout(5);
        assert_eq!((l.cursor_row, l.cursor_col), (1, 0));
        ed.set_cursor(5); // before the hanging space
        let l = ed.layout(5);
        assert_eq!((l.cursor_row, l.cursor_col), (0, 5));
        // hard-broken word: end of a full row shows at the start of the next
        let mut ed = at("abcdefghij", 5);
        let l = ed.layout(5);
        assert_eq!((l.cursor_row, l.cursor_col), (1, 0));
        ed.move_doc_end();
        let l = ed.layout(5);
        assert_eq!((l.cursor_row, l.cursor_col), (1, 5));
        // trailing space at the very end gets an empty continuation row
        let ed = Editor::from_text("hello ");
        let l = check_layout(&ed, 5);
        assert_eq!(row_texts(&ed, 5), vec!["hello ", ""]);
        assert_eq!((l.cursor_row, l.cursor_col), (1, 0));
    }

    #[test]
    fn layout_whitespace_runs_do_not_overflow() {
        let ed = Editor::from_text(&" ".repeat(25));
        let rows = row_texts(&ed, 10);
        assert_eq!(rows.len(), 3);
        let l = check_layout(&ed, 10);
        assert!(l.cursor_col <= 10);
    }

    // ---- randomized robustness ----

    struct XorShift(u64);

    impl XorShift {
        fn next(&mut self) -> u64 {
            let mut x = self.0;
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            self.0 = x;
            x
        }

        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
    }

    #[test]
    fn random_operations_never_break_invariants() {
        random_run(0x9E37_79B9_7F4A_7C15);
    }

    /// Slow soak over many seeds: `cargo test --release -- --ignored`.
    #[test]
    #[ignore]
    fn random_operations_many_seeds() {
        for seed in 1..200u64 {
            random_run(seed.wrapping_mul(0x2545_F491_4F6C_DD1D) | 1);
        }
    }

    fn random_run(seed: u64) {
        const PIECES: &[&str] = &[
            "a",
            "b",
            "z",
            "ż",
            "ó",
            "я",
            "ш",
            " ",
            "  ",
            "\n",
            "中",
            "文",
            "😀",
            FAMILY,
            E_ACUTE,
            "\u{301}",
            "\u{200D}",
            "\u{200B}",
            "🇵",
            "🇱",
            ".",
            ",",
            "!",
            "\r\n",
            "\r",
            "\t",
            "\u{7}",
            "\u{3000}",
            "ｗ",
            "hello",
            "don't",
            "👍🏽",
            "ก\u{e31}",
        ];
        let mut rng = XorShift(seed);
        let mut ed = Editor::new();
        for _ in 0..20_000 {
            let width = rng.below(50) as u16;
            let piece = PIECES[rng.below(PIECES.len())];
            let len = ed.text().len();
            match rng.below(26) {
                0..=5 => {
                    for c in piece.chars() {
                        ed.insert_char(c);
                    }
                }
                6 => ed.insert_str(&piece.repeat(1 + rng.below(12))),
                7 => ed.newline(),
                8 => ed.backspace(),
                9 => ed.delete(),
                10 => ed.delete_word_back(),
                11 => ed.delete_to_line_start(),
                12 => ed.delete_to_line_end(),
                13 => ed.move_left(),
                14 => ed.move_right(),
                15 => ed.move_word_left(),
                16 => ed.move_word_right(),
                17 => ed.move_line_start(),
                18 => ed.move_line_end(),
                19 => {
                    if rng.below(2) == 0 {
                        ed.move_doc_start();
                    } else {
                        ed.move_doc_end();
                    }
                }
                20 => ed.move_up(width),
                21 => ed.move_down(width),
                22 => {
                    let a = rng.below(len + 8);
                    let b = rng.below(len + 8);
                    ed.replace_range(a..b, piece);
                }
                23 => ed.set_cursor(rng.below(len + 8)),
                24 => {
                    ed.undo();
                }
                _ => {
                    ed.redo();
                }
            }
            if ed.text().len() > 1500 {
                ed.replace_range(0..ed.text().len() / 2, "");
            }
            check_invariants(&ed);
            check_layout(&ed, width);
        }
    }
}
