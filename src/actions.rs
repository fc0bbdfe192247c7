//! The one registry of actions, helix's shape: each action with its name, `:` aliases,
//! description, argument signature, hint label, the modes it works in and its handler.
//! Dispatch, the command line and its completion, keymaps, the help overlay, the hint bar,
//! `modq keys` and the README's key table all read it, so they cannot disagree.

use crate::app::commands as h;
use crate::app::{App, Effect};
use crate::keymap::Mode;

/// What an action does when it runs: the selected mention, the typed argument and the count
/// (`3d`) are in `app`, `action` and `count`; what the driver must do goes to `fx`.
pub type Handler = fn(&mut App, &Action, u32, &mut Vec<Effect>);

/// The kind of argument an action takes, for the command line's completion and for help.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArgKind {
    /// `45m`, `2h`, `1d`.
    Duration,
    /// A sentiment label: neg, neu, pos.
    Label,
    /// A queue view: open, snoozed, handled, all.
    View,
    /// Free text (a filter).
    Text,
    /// A theme name or a path to a theme file.
    Theme,
    /// A keymap name or a path to a keymap file.
    Keymap,
    /// A template id.
    Template,
    /// A language code (pl, en …).
    Lang,
    /// A number of minutes.
    Minutes,
    /// A number counted from 1 (the second suggestion: 2).
    Index,
}

impl ArgKind {
    /// How help writes the argument.
    pub fn usage(self) -> &'static str {
        match self {
            ArgKind::Duration => "DURATION",
            ArgKind::Label => "neg|neu|pos",
            ArgKind::View => "open|snoozed|handled|all",
            ArgKind::Text => "TEXT",
            ArgKind::Theme => "THEME",
            ArgKind::Keymap => "KEYMAP",
            ArgKind::Template => "TEMPLATE",
            ArgKind::Lang => "LANG",
            ArgKind::Minutes => "MINUTES",
            ArgKind::Index => "N",
        }
    }
}

/// An action's argument: none, or one of a kind, required or not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Signature {
    pub arg: Option<ArgKind>,
    pub required: bool,
}

impl Signature {
    pub const NONE: Signature = Signature {
        arg: None,
        required: false,
    };
    /// `[DURATION]`, `open|snoozed|handled|all`, or "" for none.
    pub fn usage(self) -> String {
        match (self.arg, self.required) {
            (None, _) => String::new(),
            (Some(a), true) => a.usage().to_string(),
            (Some(a), false) => format!("[{}]", a.usage()),
        }
    }
}

/// A required argument.
const fn req(a: ArgKind) -> Signature {
    Signature {
        arg: Some(a),
        required: true,
    }
}

/// An optional argument.
const fn opt(a: ArgKind) -> Signature {
    Signature {
        arg: Some(a),
        required: false,
    }
}

// The modes an action works in. The command line refuses an action outside them (compose
// keys do nothing without an editor open) and completes only the ones that work.
const QUEUE: &[Mode] = &[Mode::Queue, Mode::Detail];
const DETAIL: &[Mode] = &[Mode::Detail];
const COMPOSE: &[Mode] = &[Mode::Compose];
const PICKER: &[Mode] = &[Mode::Picker];
const LINE: &[Mode] = &[Mode::Command];
const LINE_PICKER: &[Mode] = &[Mode::Command, Mode::Picker];
const HELP: &[Mode] = &[Mode::Help];
const ANY: &[Mode] = &Mode::ALL;

/// One registry entry.
#[derive(Debug, Clone, Copy)]
pub struct Command {
    pub kind: ActionKind,
    pub name: &'static str,
    /// Short names on the command line (`:done`, `:sla 15`); the name works there too.
    pub aliases: &'static [&'static str],
    pub doc: &'static str,
    pub signature: Signature,
    /// The hint bar's label and rank; the lowest ranks are shown when the bar is short.
    pub hint: Option<(&'static str, u8)>,
    pub modes: &'static [Mode],
    pub handler: Handler,
}

impl Command {
    /// `:snooze [DURATION]` style usage, with the shortest alias when there is one.
    pub fn usage(&self) -> String {
        let sig = self.signature.usage();
        let name = self.aliases.first().unwrap_or(&self.name);
        if sig.is_empty() {
            format!(":{name}")
        } else {
            format!(":{name} {sig}")
        }
    }

    pub fn works_in(&self, mode: Mode) -> bool {
        self.modes.contains(&mode)
    }
}

macro_rules! actions {
    ($( $variant:ident = $name:literal : $desc:literal
        $([$label:literal, $rank:literal])?
        $(aliases [$($alias:literal),* $(,)?])?
        $(in $modes:ident)?
        $(arg $arg:expr)?
        => $handler:path ),* $(,)?) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum ActionKind { $($variant),* }

        /// Every action, in the order help lists them and in `ActionKind` order, so an
        /// action's entry is `COMMANDS[kind as usize]`.
        pub static COMMANDS: &[Command] = &[
            $( Command {
                kind: ActionKind::$variant,
                name: $name,
                aliases: &[$($($alias),*)?],
                doc: $desc,
                signature: first_sig(&[$($arg,)? Signature::NONE]),
                hint: first_hint(&[$(Some(($label, $rank)),)? None]),
                modes: first_modes(&[$($modes,)? ANY]),
                handler: $handler,
            } ),*
        ];
    };
}

const fn first_sig(s: &[Signature]) -> Signature {
    s[0]
}
const fn first_hint(h: &[Option<(&'static str, u8)>]) -> Option<(&'static str, u8)> {
    h[0]
}
const fn first_modes(m: &[&'static [Mode]]) -> &'static [Mode] {
    m[0]
}

actions! {
    QueueNext = "queue.next": "Select the next mention" ["next", 40] in QUEUE => h::queue_next,
    QueuePrev = "queue.prev": "Select the previous mention" ["prev", 41] in QUEUE => h::queue_prev,
    QueueFirst = "queue.first": "Jump to the top of the queue (most urgent)" aliases ["top"] in QUEUE => h::queue_first,
    QueueLast = "queue.last": "Jump to the bottom of the queue" aliases ["bottom"] in QUEUE => h::queue_last,
    QueuePageDown = "queue.page_down": "Move down one page" in QUEUE => h::queue_page_down,
    QueuePageUp = "queue.page_up": "Move up one page" in QUEUE => h::queue_page_up,
    QueueViewNext = "queue.view_next": "Cycle the view: open, snoozed, handled, all" in QUEUE => h::queue_view_next,
    QueueView = "queue.view": "Show one view: open, snoozed, handled or all" aliases ["view"] in QUEUE arg req(ArgKind::View) => h::queue_view,
    DetailOpen = "detail.open": "Focus the detail pane of the selected mention" ["read", 12] aliases ["read"] in QUEUE => h::detail_open,
    DetailClose = "detail.close": "Back to the queue" ["back", 8] in DETAIL => h::detail_close,
    DetailScrollDown = "detail.scroll_down": "Scroll the detail pane down" ["scroll", 9] in DETAIL => h::detail_scroll_down,
    DetailScrollUp = "detail.scroll_up": "Scroll the detail pane up" in DETAIL => h::detail_scroll_up,
    ThreadParent = "thread.parent": "Go to the mention this one replies to" ["parent", 30] aliases ["parent"] in QUEUE => h::thread_parent,
    MentionDone = "mention.done": "Mark the mention done" ["done", 2] aliases ["done"] in QUEUE => h::mention_done,
    MentionNoReply = "mention.noreply": "Mark: no reply needed" ["no reply", 10] aliases ["noreply", "no-reply"] in QUEUE => h::mention_noreply,
    MentionSpam = "mention.spam": "Mark as spam" ["spam", 14] aliases ["spam"] in QUEUE => h::mention_spam,
    MentionSnooze = "mention.snooze": "Snooze (default 30 min; :snooze 2h)" ["snooze", 13] aliases ["snooze"] in QUEUE arg opt(ArgKind::Duration) => h::mention_snooze,
    MentionReopen = "mention.reopen": "Put a handled or snoozed mention back in the queue" aliases ["reopen"] in QUEUE => h::mention_reopen,
    MentionUndo = "mention.undo": "Take back the last queue action or discarded draft (again: the one before)" ["undo", 3] aliases ["undo", "u"] in QUEUE => h::mention_undo,
    MentionLabel = "mention.label": "Correct the sentiment (:label neg, neu or pos); triage learns from it" aliases ["label"] in QUEUE arg opt(ArgKind::Label) => h::mention_label,
    ReplyOpen = "reply.open": "Write a reply to the selected mention" ["reply", 1] aliases ["reply"] in QUEUE => h::reply_open,
    ReplySend = "reply.send": "Send the reply" ["send", 1] in COMPOSE => h::reply_send,
    ComposeClose = "compose.close": "Leave the editor, keeping the draft" ["keep", 7] in COMPOSE => h::compose_close,
    ComposeDiscard = "compose.discard": "Throw the draft away" ["discard", 20] in COMPOSE => h::compose_discard,
    ComposeLeft = "compose.left": "Cursor left" in COMPOSE => h::compose_left,
    ComposeRight = "compose.right": "Cursor right" in COMPOSE => h::compose_right,
    ComposeUp = "compose.up": "Cursor up a line" in COMPOSE => h::compose_up,
    ComposeDown = "compose.down": "Cursor down a line" in COMPOSE => h::compose_down,
    ComposeWordLeft = "compose.word_left": "Cursor to the previous word" in COMPOSE => h::compose_word_left,
    ComposeWordRight = "compose.word_right": "Cursor to the next word" in COMPOSE => h::compose_word_right,
    ComposeLineStart = "compose.line_start": "Cursor to the start of the line" in COMPOSE => h::compose_line_start,
    ComposeLineEnd = "compose.line_end": "Cursor to the end of the line" in COMPOSE => h::compose_line_end,
    ComposeDocStart = "compose.doc_start": "Cursor to the start of the reply" in COMPOSE => h::compose_doc_start,
    ComposeDocEnd = "compose.doc_end": "Cursor to the end of the reply" in COMPOSE => h::compose_doc_end,
    ComposeNewline = "compose.newline": "New line" in COMPOSE => h::compose_newline,
    ComposeBackspace = "compose.backspace": "Delete the character before the cursor" in COMPOSE => h::compose_backspace,
    ComposeDelete = "compose.delete": "Delete the character under the cursor" in COMPOSE => h::compose_delete,
    ComposeDeleteWord = "compose.delete_word": "Delete the word before the cursor" in COMPOSE => h::compose_delete_word,
    ComposeKillLineStart = "compose.kill_line_start": "Delete to the start of the line" in COMPOSE => h::compose_kill_line_start,
    ComposeKillLineEnd = "compose.kill_line_end": "Delete to the end of the line" in COMPOSE => h::compose_kill_line_end,
    ComposeUndo = "compose.undo": "Undo" ["undo", 21] in COMPOSE => h::compose_undo,
    ComposeRedo = "compose.redo": "Redo" in COMPOSE => h::compose_redo,
    ComposeQuoteDown = "compose.quote_down": "Scroll the quoted mention above the editor down" ["quote", 22] in COMPOSE => h::compose_quote_down,
    ComposeQuoteUp = "compose.quote_up": "Scroll the quoted mention above the editor up" in COMPOSE => h::compose_quote_up,
    PickerNext = "picker.next": "Next item in the picker" ["next", 2] in PICKER => h::picker_next,
    PickerPrev = "picker.prev": "Previous item in the picker" in PICKER => h::picker_prev,
    PickerAccept = "picker.accept": "Choose the picker item" ["choose", 1] in PICKER => h::picker_accept,
    PickerCancel = "picker.cancel": "Close the picker" ["cancel", 3] in PICKER => h::picker_cancel,
    FilterOpen = "filter.open": "Filter the queue (text, @author, lang=, sentiment=)" ["filter", 4] in QUEUE => h::filter_open,
    FilterSet = "filter.set": "Filter the queue by TEXT (words, @author, lang=ru, sentiment=neg); none clears it" aliases ["filter"] in QUEUE arg opt(ArgKind::Text) => h::filter_set,
    FilterClear = "filter.clear": "Clear the filter" in QUEUE => h::filter_clear,
    CommandOpen = "command.open": "Open the command line" ["command", 5] in QUEUE => h::command_open,
    CommandRun = "command.run": "Run the command line / apply the filter" ["run", 1] in LINE_PICKER => h::command_run,
    CommandCancel = "command.cancel": "Close the command line" ["cancel", 2] in LINE => h::command_cancel,
    CommandComplete = "command.complete": "Complete the command or its argument (again: the next one)" ["complete", 3] in LINE => h::command_complete,
    CommandBackspace = "command.backspace": "Delete the character before the cursor" in LINE_PICKER => h::command_backspace,
    CommandDeleteWord = "command.delete_word": "Delete the word before the cursor" in LINE => h::command_delete_word,
    CommandLeft = "command.left": "Cursor left" in LINE => h::command_left,
    CommandRight = "command.right": "Cursor right" in LINE => h::command_right,
    CommandStart = "command.start": "Cursor to the start" in LINE => h::command_start,
    CommandEnd = "command.end": "Cursor to the end" in LINE => h::command_end,
    CommandHistoryPrev = "command.history_prev": "Previous command" ["history", 4] in LINE => h::command_history,
    CommandHistoryNext = "command.history_next": "Next command" in LINE => h::command_history,
    ThemePick = "theme.pick": "Choose a theme (:theme NAME loads one)" aliases ["theme"] in QUEUE arg opt(ArgKind::Theme) => h::theme_pick,
    KeymapSet = "keymap.set": "Load a keymap (default, vim, emacs or a file); none: say which is on" aliases ["keymap"] in QUEUE arg opt(ArgKind::Keymap) => h::keymap_set,
    SlaSet = "sla.set": "Set the response-time target in minutes for this session" aliases ["sla"] in QUEUE arg req(ArgKind::Minutes) => h::sla_set,
    HelpToggle = "help.toggle": "Show the keys bound in this mode" ["help", 0] aliases ["help"] => h::help_toggle,
    HelpClose = "help.close": "Close help (or the messages)" ["close", 1] in HELP => h::help_close,
    HelpScrollDown = "help.scroll_down": "Scroll down" ["scroll", 3] in HELP => h::help_scroll_down,
    HelpScrollUp = "help.scroll_up": "Scroll up" in HELP => h::help_scroll_up,
    HelpPageDown = "help.page_down": "Scroll down one page" in HELP => h::help_page_down,
    HelpPageUp = "help.page_up": "Scroll up one page" in HELP => h::help_page_up,
    HelpFilter = "help.filter": "Filter help by key, name or description (typing a letter starts it too)" ["filter", 2] in HELP => h::help_filter,
    NoticeDismiss = "notice.dismiss": "Dismiss the notices (:messages still has them)" in QUEUE => h::notice_dismiss,
    MessagesShow = "messages.show": "Show every notice, error and confirmation of the session (:messages)" ["messages", 30] aliases ["messages", "mes", "msg"] in QUEUE => h::messages_show,
    TemplatePick = "template.pick": "Choose a template (fuzzy search, preview filled for the mention)" ["template", 2] in COMPOSE => h::reply_tools,
    TemplateInsert = "template.insert": "Insert a template by id (template.insert:refund)" in COMPOSE arg req(ArgKind::Template) => h::reply_tools,
    ComposeNextPlaceholder = "compose.next_placeholder": "Jump to the next placeholder to fill" ["field", 3] in COMPOSE => h::reply_tools,
    ComposePrevPlaceholder = "compose.prev_placeholder": "Jump to the previous placeholder" in COMPOSE => h::reply_tools,
    ReplyPrivate = "reply.private": "Send the reply privately (or public again)" ["private", 5] in COMPOSE => h::reply_tools,
    ReplyLang = "reply.lang": "Check spelling in the next language (reply.lang:pl picks one)" in COMPOSE arg opt(ArgKind::Lang) => h::reply_tools,
    GateNext = "gate.next": "Jump to the next finding of the gate" in COMPOSE => h::reply_tools,
    GateApply = "gate.apply": "Apply the first suggestion (gate.apply:2 the second)" ["fix", 4] in COMPOSE arg opt(ArgKind::Index) => h::reply_tools,
    GateAddWord = "gate.add_word": "Add the word to the brand dictionary (audited)" in COMPOSE => h::reply_tools,
    GateOverride = "gate.override": "Ignore this finding once / send anyway (audited)" in COMPOSE => h::reply_tools,
    SpikeView = "spike.view": "Show only the negative mentions of the latest spike (:spike)" aliases ["spike"] in QUEUE => h::spike_view,
    ReplySendPrivate = "reply.send_private": "Send the reply privately (Mastodon: direct message)" in COMPOSE => h::reply_send_private,
    MentionLike = "mention.like": "Like the mention (Mastodon: favourite)" aliases ["like"] in QUEUE => h::mention_like,
    ReplyRetry = "reply.retry": "Edit and resend the last failed reply (unknown: choose what to do)" aliases ["retry"] in QUEUE => h::reply_retry,
    ReplyResend = "reply.resend": "Send a reply of unknown fate again, with the same key (audited)" aliases ["resend"] in QUEUE => h::reply_settle,
    ReplyMarkSent = "reply.mark_sent": "Mark a reply of unknown fate sent: it is on the network (audited)" aliases ["mark-sent"] in QUEUE => h::reply_settle,
    ReplyDiscard = "reply.discard": "Discard a reply of unknown fate: it is not sent (audited)" aliases ["unsend"] in QUEUE => h::reply_settle,
    MentionHide = "mention.hide": "Hide the mention in modq (the network still shows it)" aliases ["hide"] in QUEUE => h::mention_hide,
    AppQuit = "app.quit": "Quit modq (drafts are kept)" ["quit", 6] aliases ["q", "quit", "exit"] => h::app_quit,
    LinkOpenPost = "link.open_post": "Open the mention on its network in the browser ($BROWSER)" aliases ["open"] in QUEUE => h::link,
    LinkOpenAuthor = "link.open_author": "Open the author's profile in the browser" aliases ["profile"] in QUEUE => h::link,
    LinkCopy = "link.copy": "Copy the mention's link to the clipboard (OSC 52, if enabled)" aliases ["copy"] in QUEUE => h::link,
    // The shift's workflow (app::workflow, app::bulk, app::author).
    MentionWaiting = "mention.waiting": "Waiting for the customer: the SLA clock stops until the author writes again" aliases ["waiting", "wait"] in QUEUE => crate::app::workflow::waiting,
    MentionSnoozeAuthor = "mention.snooze_author": "Snooze until the author writes again (:snooze author)" in QUEUE => crate::app::workflow::snooze_for_author,
    MentionTag = "mention.tag": "Tag the mention (:tag billing; :untag takes it off); never sent" aliases ["tag"] in QUEUE arg opt(ArgKind::Text) => crate::app::workflow::tag,
    MentionUntag = "mention.untag": "Take tags off the mention (:untag billing)" aliases ["untag"] in QUEUE arg opt(ArgKind::Text) => crate::app::workflow::untag,
    MentionNote = "mention.note": "Add an internal note (:note text); never sent" aliases ["note"] in QUEUE arg opt(ArgKind::Text) => crate::app::workflow::note,
    MentionNoteShift = "mention.note_shift": "Add a note for the next shift's hand-over (:note! text)" aliases ["note!"] in QUEUE arg opt(ArgKind::Text) => crate::app::workflow::note_next_shift,
    MentionAssign = "mention.assign": "Assign the mention (:assign NAME; :assign - takes the name off)" aliases ["assign"] in QUEUE arg opt(ArgKind::Text) => crate::app::workflow::assign,
    MentionTake = "mention.take": "Assign the mention to me, the agent in config (:take)" aliases ["take"] in QUEUE => crate::app::workflow::take,
    QueueMine = "queue.mine": "Show only the mentions assigned to me, or everyone's again" aliases ["mine"] in QUEUE => crate::app::workflow::toggle_mine,
    MarkToggle = "mark.toggle": "Mark or unmark the row for a bulk action (a count marks that many)" in QUEUE => crate::app::bulk::toggle,
    MarkExtend = "mark.extend": "Mark from the last mark to the cursor (a count: that many rows down)" in QUEUE => crate::app::bulk::extend,
    MarkAll = "mark.all": "Mark the whole filter result (:all; :all done acts on it at once)" aliases ["all"] in QUEUE arg opt(ArgKind::Text) => crate::app::bulk::all,
    MarkClear = "mark.clear": "Forget every mark (:unmark)" aliases ["unmark"] in QUEUE => crate::app::bulk::clear,
    AuthorPanel = "author.panel": "The author's history: mentions, replies, tags, notes, tone" aliases ["author"] in QUEUE => crate::app::author::open,
    // Escalation to departments.
    MentionEscalate = "mention.escalate": "Escalate to a department (:escalate billing note); u takes back the mark, not the message" ["escalate", 15] aliases ["escalate", "esc"] in QUEUE arg opt(ArgKind::Text) => crate::app::escalate::escalate,
    // The shift in figures (app::figures).
    StatsShow = "stats.show": "The shift in figures: rates, times, SLA, charts (:stats 8h for another span)" aliases ["stats"] in QUEUE arg opt(ArgKind::Duration) => crate::app::figures::stats_show,
    HandoverShow = "handover.show": "The hand-over: what is open, late, escalated, spikes, repeat complainers" aliases ["handover"] in QUEUE => crate::app::figures::handover_show,
}

impl ActionKind {
    /// The action's registry entry.
    pub fn command(self) -> &'static Command {
        &COMMANDS[self as usize]
    }
    pub fn name(self) -> &'static str {
        self.command().name
    }
    pub fn description(self) -> &'static str {
        self.command().doc
    }
    /// The hint bar's label and rank of the action, if it has one.
    pub fn hint(self) -> Option<(&'static str, u8)> {
        self.command().hint
    }
    pub fn from_name(name: &str) -> Option<Self> {
        COMMANDS.iter().find(|c| c.name == name).map(|c| c.kind)
    }
    /// The action a command line word names: its name or one of its aliases.
    pub fn from_command(word: &str) -> Option<Self> {
        COMMANDS
            .iter()
            .find(|c| c.name == word || c.aliases.contains(&word))
            .map(|c| c.kind)
    }
}

/// An action with its optional argument, as written `name` or `name:arg`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Action {
    pub kind: ActionKind,
    pub arg: Option<String>,
}

impl Action {
    pub fn new(kind: ActionKind) -> Self {
        Self { kind, arg: None }
    }
    pub fn parse(text: &str) -> Option<Self> {
        let (name, arg) = match text.split_once(':') {
            Some((n, a)) => (n, Some(a.trim().to_string()).filter(|a| !a.is_empty())),
            None => (text, None),
        };
        ActionKind::from_name(name.trim()).map(|kind| Self { kind, arg })
    }
}

impl std::fmt::Display for Action {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.arg {
            Some(a) => write!(f, "{}:{a}", self.kind.name()),
            None => f.write_str(self.kind.name()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_round_trip() {
        let mut seen = std::collections::HashSet::new();
        for c in COMMANDS {
            assert!(seen.insert(c.name), "duplicate {}", c.name);
            assert!(!c.doc.is_empty());
            assert_eq!(ActionKind::from_name(c.name), Some(c.kind));
            assert_eq!(c.kind.name(), c.name);
        }
    }

    /// Every kind has exactly one entry, found where dispatch looks for it, and every word
    /// the command line accepts names one action.
    #[test]
    fn one_entry_per_action_and_unique_aliases() {
        for (i, c) in COMMANDS.iter().enumerate() {
            assert_eq!(c.kind as usize, i, "{} out of order", c.name);
            assert_eq!(COMMANDS.iter().filter(|d| d.kind == c.kind).count(), 1);
            assert!(!c.modes.is_empty(), "{} works nowhere", c.name);
        }
        let mut words = std::collections::HashMap::new();
        for c in COMMANDS {
            for w in std::iter::once(&c.name).chain(c.aliases) {
                assert!(!w.contains(char::is_whitespace) && !w.contains(':'), "{w}");
                if let Some(other) = words.insert(*w, c.name) {
                    panic!(":{w} names both {other} and {}", c.name);
                }
            }
        }
    }

    #[test]
    fn parses_argument() {
        let a = Action::parse("mention.snooze:2h").unwrap();
        assert_eq!(a.kind, ActionKind::MentionSnooze);
        assert_eq!(a.arg.as_deref(), Some("2h"));
        assert!(Action::parse("no.such").is_none());
    }
}
