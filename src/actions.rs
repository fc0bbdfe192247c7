//! The one registry of actions. Keymaps, the help overlay, the command line and the README's
//! key table all read names and descriptions from here, so they cannot disagree.

macro_rules! actions {
    ($( $variant:ident = $name:literal : $desc:literal $([$label:literal, $rank:literal])? ),* $(,)?) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum ActionKind { $($variant),* }

        /// Every action: (kind, name, description), in the order help lists them.
        pub const ACTIONS: &[(ActionKind, &str, &str)] = &[
            $( (ActionKind::$variant, $name, $desc) ),*
        ];

        /// Actions shown in the hint bar: (kind, label, rank); the lowest ranks are shown
        /// when the bar is short.
        pub const HINTS: &[(ActionKind, &str, u8)] = &[
            $($( (ActionKind::$variant, $label, $rank), )?)*
        ];
    };
}

actions! {
    QueueNext = "queue.next": "Select the next mention" ["next", 40],
    QueuePrev = "queue.prev": "Select the previous mention" ["prev", 41],
    QueueFirst = "queue.first": "Jump to the top of the queue (most urgent)",
    QueueLast = "queue.last": "Jump to the bottom of the queue",
    QueuePageDown = "queue.page_down": "Move down one page",
    QueuePageUp = "queue.page_up": "Move up one page",
    QueueViewNext = "queue.view_next": "Cycle the view: open, snoozed, handled, all",
    DetailOpen = "detail.open": "Focus the detail pane of the selected mention" ["read", 12],
    DetailClose = "detail.close": "Back to the queue" ["back", 8],
    DetailScrollDown = "detail.scroll_down": "Scroll the detail pane down" ["scroll", 9],
    DetailScrollUp = "detail.scroll_up": "Scroll the detail pane up",
    ThreadParent = "thread.parent": "Go to the mention this one replies to" ["parent", 30],
    MentionDone = "mention.done": "Mark the mention done" ["done", 2],
    MentionNoReply = "mention.noreply": "Mark: no reply needed" ["no reply", 10],
    MentionSpam = "mention.spam": "Mark as spam" ["spam", 14],
    MentionSnooze = "mention.snooze": "Snooze (default 30 min; :snooze 2h)" ["snooze", 13],
    MentionReopen = "mention.reopen": "Put a handled or snoozed mention back in the queue",
    MentionUndo = "mention.undo": "Take back the last queue action or discarded draft (again: the one before)" ["undo", 3],
    MentionLabel = "mention.label": "Correct the sentiment (:label neg, neu or pos); triage learns from it",
    ReplyOpen = "reply.open": "Write a reply to the selected mention" ["reply", 1],
    ReplySend = "reply.send": "Send the reply" ["send", 1],
    ComposeClose = "compose.close": "Leave the editor, keeping the draft" ["keep", 7],
    ComposeDiscard = "compose.discard": "Throw the draft away" ["discard", 20],
    ComposeLeft = "compose.left": "Cursor left",
    ComposeRight = "compose.right": "Cursor right",
    ComposeUp = "compose.up": "Cursor up a line",
    ComposeDown = "compose.down": "Cursor down a line",
    ComposeWordLeft = "compose.word_left": "Cursor to the previous word",
    ComposeWordRight = "compose.word_right": "Cursor to the next word",
    ComposeLineStart = "compose.line_start": "Cursor to the start of the line",
    ComposeLineEnd = "compose.line_end": "Cursor to the end of the line",
    ComposeDocStart = "compose.doc_start": "Cursor to the start of the reply",
    ComposeDocEnd = "compose.doc_end": "Cursor to the end of the reply",
    ComposeNewline = "compose.newline": "New line",
    ComposeBackspace = "compose.backspace": "Delete the character before the cursor",
    ComposeDelete = "compose.delete": "Delete the character under the cursor",
    ComposeDeleteWord = "compose.delete_word": "Delete the word before the cursor",
    ComposeKillLineStart = "compose.kill_line_start": "Delete to the start of the line",
    ComposeKillLineEnd = "compose.kill_line_end": "Delete to the end of the line",
    ComposeUndo = "compose.undo": "Undo" ["undo", 21],
    ComposeRedo = "compose.redo": "Redo",
    ComposeQuoteDown = "compose.quote_down": "Scroll the quoted mention above the editor down" ["quote", 22],
    ComposeQuoteUp = "compose.quote_up": "Scroll the quoted mention above the editor up",
    PickerNext = "picker.next": "Next item in the picker" ["next", 2],
    PickerPrev = "picker.prev": "Previous item in the picker",
    PickerAccept = "picker.accept": "Choose the picker item" ["choose", 1],
    PickerCancel = "picker.cancel": "Close the picker" ["cancel", 3],
    FilterOpen = "filter.open": "Filter the queue (text, @author, lang=, sentiment=)" ["filter", 4],
    FilterClear = "filter.clear": "Clear the filter",
    CommandOpen = "command.open": "Open the command line" ["command", 5],
    CommandRun = "command.run": "Run the command line / apply the filter" ["run", 1],
    CommandCancel = "command.cancel": "Close the command line" ["cancel", 2],
    CommandBackspace = "command.backspace": "Delete the character before the cursor",
    CommandDeleteWord = "command.delete_word": "Delete the word before the cursor",
    CommandLeft = "command.left": "Cursor left",
    CommandRight = "command.right": "Cursor right",
    CommandStart = "command.start": "Cursor to the start",
    CommandEnd = "command.end": "Cursor to the end",
    CommandHistoryPrev = "command.history_prev": "Previous command" ["history", 3],
    CommandHistoryNext = "command.history_next": "Next command",
    ThemePick = "theme.pick": "Choose a theme",
    HelpToggle = "help.toggle": "Show the keys bound in this mode" ["help", 0],
    NoticeDismiss = "notice.dismiss": "Dismiss the notices (:messages still has them)",
    MessagesShow = "messages.show": "Show every notice, error and confirmation of the session (:messages)" ["messages", 30],
    TemplatePick = "template.pick": "Choose a template (fuzzy search, preview filled for the mention)" ["template", 2],
    TemplateInsert = "template.insert": "Insert a template by id (template.insert:refund)",
    ComposeNextPlaceholder = "compose.next_placeholder": "Jump to the next placeholder to fill" ["field", 3],
    ComposePrevPlaceholder = "compose.prev_placeholder": "Jump to the previous placeholder",
    ReplyPrivate = "reply.private": "Send the reply privately (or public again)" ["private", 5],
    ReplyLang = "reply.lang": "Check spelling in the next language (reply.lang:pl picks one)",
    GateNext = "gate.next": "Jump to the next finding of the gate",
    GateApply = "gate.apply": "Apply the first suggestion (gate.apply:2 the second)" ["fix", 4],
    GateAddWord = "gate.add_word": "Add the word to the brand dictionary (audited)",
    GateOverride = "gate.override": "Ignore this finding once / send anyway (audited)",
    StatsShow = "stats.show": "The shift in figures: rates, times, SLA, charts (:stats 8h for another span)",
    HandoverShow = "handover.show": "The hand-over: what is open, late, escalated, spikes, repeat complainers",
    SpikeView = "spike.view": "Show only the negative mentions of the latest spike (:spike)",
    ReplySendPrivate = "reply.send_private": "Send the reply privately (Mastodon: direct message)",
    MentionLike = "mention.like": "Like the mention (Mastodon: favourite)",
    ReplyRetry = "reply.retry": "Edit and resend the last failed reply (unknown: choose what to do)",
    ReplyResend = "reply.resend": "Send a reply of unknown fate again, with the same key (audited)",
    ReplyMarkSent = "reply.mark_sent": "Mark a reply of unknown fate sent: it is on the network (audited)",
    ReplyDiscard = "reply.discard": "Discard a reply of unknown fate: it is not sent (audited)",
    MentionHide = "mention.hide": "Hide the mention in modq (the network still shows it)",
    AppQuit = "app.quit": "Quit modq (drafts are kept)" ["quit", 6],
    LinkOpenPost = "link.open_post": "Open the mention on its network in the browser ($BROWSER)",
    LinkOpenAuthor = "link.open_author": "Open the author's profile in the browser",
    LinkCopy = "link.copy": "Copy the mention's link to the clipboard (OSC 52, if enabled)",
}

impl ActionKind {
    pub fn name(self) -> &'static str {
        ACTIONS
            .iter()
            .find(|(k, _, _)| *k == self)
            .map(|(_, n, _)| *n)
            .unwrap_or("?")
    }
    pub fn description(self) -> &'static str {
        ACTIONS
            .iter()
            .find(|(k, _, _)| *k == self)
            .map(|(_, _, d)| *d)
            .unwrap_or("")
    }
    /// The hint bar's label and rank of the action, if it has one.
    pub fn hint(self) -> Option<(&'static str, u8)> {
        HINTS
            .iter()
            .find(|(k, _, _)| *k == self)
            .map(|(_, l, r)| (*l, *r))
    }
    pub fn from_name(name: &str) -> Option<Self> {
        ACTIONS
            .iter()
            .find(|(_, n, _)| *n == name)
            .map(|(k, _, _)| *k)
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
        for (kind, name, desc) in ACTIONS {
            assert!(seen.insert(*name), "duplicate {name}");
            assert!(!desc.is_empty());
            assert_eq!(ActionKind::from_name(name), Some(*kind));
            assert_eq!(kind.name(), *name);
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
