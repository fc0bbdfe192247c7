//! What the console knows at one moment. The UI is a function of this.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::counts::{Authors, Counts, Due};
use super::event::Effect;
use super::input::LineInput;
use super::queue::{Filter, View, Visible};
use crate::compose::editor::Editor;
use crate::compose::gate::Finding;
use crate::keymap::{Keymap, Mode};
use crate::model::{AuditEntry, Mention, MentionId, Millis, Reply, SourceState, Thread};
use crate::theme::Theme;
use crate::triage::{priority::rank_key, RankKey};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusKind {
    Info,
    Error,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub kind: StatusKind,
    pub text: String,
    pub at: Millis,
}

#[derive(Debug, Clone)]
pub struct Compose {
    pub mention: MentionId,
    pub editor: Editor,
    pub gate: GateState,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PickerPurpose {
    Theme,
    /// Items are template ids, already ranked for the query (see `app::reply`).
    Template,
    /// What to do with a reply of unknown fate (see `app::unknown`).
    UnknownReply,
    /// Which department to escalate to (see `app::escalate`).
    Department,
}

#[derive(Debug, Clone)]
pub struct Picker {
    pub purpose: PickerPurpose,
    pub title: String,
    pub items: Vec<String>,
    pub query: String,
    pub selected: usize,
    /// What was in force before, restored on cancel (the picker previews live).
    pub previous: String,
}

impl Picker {
    /// Items that contain every query word, in their original order.
    pub fn matches(&self) -> Vec<&str> {
        if self.purpose == PickerPurpose::Template {
            return self.items.iter().map(String::as_str).collect();
        }
        let q = self.query.to_lowercase();
        self.items
            .iter()
            .filter(|i| {
                let l = i.to_lowercase();
                q.split_whitespace().all(|w| l.contains(w))
            })
            .map(String::as_str)
            .collect()
    }
}

pub struct App {
    pub now: Millis,
    /// Response-time target.
    pub sla: Millis,
    pub snooze_default: Millis,
    pub actor: String,

    pub mentions: HashMap<MentionId, Mention>,
    /// mention → mentions replying to it, for the thread view.
    pub children: HashMap<MentionId, Vec<MentionId>>,
    pub drafts: HashMap<MentionId, String>,
    pub replies: HashMap<MentionId, Vec<Reply>>,

    pub view: View,
    pub filter: Filter,
    pub visible: Visible,
    pub selected: Option<MentionId>,
    /// First visible row of the queue pane.
    pub scroll: usize,
    /// Arrivals placed above the top of the pane since the moderator last looked there.
    pub new_above: usize,
    pub screen: (u16, u16),
    /// False until the moderator moves the selection: until then it follows the top.
    pub touched: bool,

    pub mode: Mode,
    pub count: Option<u32>,
    /// Keys of a sequence typed so far (vim's `d` waiting for the second `d`).
    pub pending_keys: Vec<crate::keymap::Key>,
    /// Queue actions that can be taken back, the latest last (`undo`).
    pub undo: Vec<super::undo::Undo>,
    pub input: Option<LineInput>,
    pub command_history: Vec<String>,
    pub compose: Option<Compose>,
    pub picker: Option<Picker>,
    pub help: Option<super::commands::HelpView>,
    pub detail_scroll: u16,
    /// First row of the quoted mention shown above the editor.
    pub quote_scroll: u16,

    pub keymap: Keymap,
    pub theme: Theme,
    /// Templates, dictionaries, brand words and suggestions for composing.
    pub kit: crate::compose::kit::Kit,
    pub theme_names: Vec<String>,
    /// Problems the moderator must see (broken config files); stay until dismissed.
    pub notices: Vec<String>,
    pub status: Option<Status>,
    /// Every message of the session (`:messages`), oldest first.
    pub messages: Vec<Status>,
    /// The `:messages` overlay is open, scrolled this many rows back from the newest.
    pub messages_view: Option<u16>,
    pub sources: BTreeMap<String, SourceState>,
    /// The network's thread around the open mention, and the number of the last request.
    pub thread: Option<ThreadView>,
    pub thread_seq: u64,
    /// Post length limits per account, as each server gave them; others use the defaults.
    pub limits: HashMap<String, crate::compose::gate::length::Limits>,
    /// Shift counters, kept up to date as mentions change and the clock moves
    /// (`app::counts`).
    pub counts: Counts,
    /// When each mention's part of the counters may change next.
    pub due: Due,
    /// Open mentions by author, for "author already waiting".
    pub authors: Authors,
    /// A mention breached its target for the first time: ring once (see `update`).
    pub bell: bool,
    /// `[sla]`: targets per band and cue, business hours per account.
    pub sla_policy: crate::sla::Policy,
    /// When each mention's SLA clock stood still (snoozed, waiting).
    pub pauses: crate::sla::Pauses,
    /// Mentions that have breached, so each rings only once.
    pub breached: std::collections::HashSet<MentionId>,
    /// Triage weights (config `[triage]`): how urgency moves the virtual deadline.
    pub weights: crate::triage::priority::Weights,
    pub spikes: crate::triage::spike::Detector,
    /// The topic of the latest spike alert, for `spike.view`.
    pub spike_topic: Option<String>,
    /// The stats pane or the hand-over, when open; `figures_seq` numbers their requests.
    pub figures: Option<super::figures::View>,
    pub figures_seq: u64,
    /// When and by whom the hand-over was last read (`stats::cmd::DISMISSED`).
    pub handover_read: Option<String>,
    /// The brand's learned triage model: fed by `mention.label`, scores new arrivals.
    pub model: crate::triage::model::Model,
    pub quit: bool,
    /// The place as last saved to the store (`place::save_changes`).
    pub saved_place: Vec<(&'static str, String)>,
    /// The reply that was open at the last exit, opened again at the first event.
    pub resume_compose: Option<MentionId>,
    /// Links may be copied with OSC 52 (config `osc52`): off unless the terminal is trusted
    /// with the clipboard.
    pub osc52: bool,
    /// Departments and escalation deliveries (`app::escalate`).
    pub escalate: crate::escalate::Desk,
    /// Something changed since the last frame.
    pub dirty: bool,
    /// Just answered: the next key can mark it done or waiting for the customer
    /// (`workflow::mark`); any other action forgets it.
    pub after_reply: Option<MentionId>,
    /// Rows marked for a bulk action (`bulk`), and the last one marked.
    pub marks: std::collections::HashSet<MentionId>,
    pub mark_anchor: Option<MentionId>,
    /// The queue shows only the mentions assigned to `actor`.
    pub mine: bool,
    /// `[tags] known`: the team's list (drawn in the theme's `tag` colour).
    pub tags_known: Vec<String>,
    /// `[advocates]`: who the queue marks as an advocate or a repeat complainer.
    pub author_rules: super::author::AuthorRules,
    /// Mentions per author by tone, for those marks.
    pub tallies: HashMap<String, super::author::Tally>,
    /// The author panel, when open.
    pub author_view: Option<super::author::AuthorView>,
}

impl App {
    pub fn new(now: Millis, sla: Millis, keymap: Keymap, theme: Theme) -> Self {
        Self {
            now,
            sla,
            snooze_default: 30 * 60_000,
            actor: "moderator".into(),
            mentions: HashMap::new(),
            children: HashMap::new(),
            drafts: HashMap::new(),
            replies: HashMap::new(),
            view: View::Open,
            filter: Filter::default(),
            visible: Visible::default(),
            selected: None,
            scroll: 0,
            new_above: 0,
            screen: (80, 24),
            touched: false,
            mode: Mode::Queue,
            count: None,
            pending_keys: Vec::new(),
            undo: Vec::new(),
            input: None,
            command_history: Vec::new(),
            compose: None,
            picker: None,
            help: None,
            detail_scroll: 0,
            quote_scroll: 0,
            keymap,
            theme,
            kit: Default::default(),
            theme_names: crate::theme::EMBEDDED
                .iter()
                .map(|(n, _)| n.to_string())
                .collect(),
            notices: Vec::new(),
            status: None,
            messages: Vec::new(),
            messages_view: None,
            sources: BTreeMap::new(),
            thread: None,
            thread_seq: 0,
            limits: HashMap::new(),
            counts: Counts::default(),
            due: Due::starting(now),
            authors: Authors::default(),
            bell: false,
            sla_policy: Default::default(),
            pauses: Default::default(),
            breached: Default::default(),
            weights: Default::default(),
            spikes: Default::default(),
            spike_topic: None,
            figures: None,
            figures_seq: 0,
            handover_read: None,
            model: Default::default(),
            quit: false,
            saved_place: Vec::new(),
            resume_compose: None,
            osc52: false,
            escalate: Default::default(),
            dirty: true,
            after_reply: None,
            marks: Default::default(),
            mark_anchor: None,
            mine: false,
            tags_known: Vec::new(),
            author_rules: Default::default(),
            tallies: HashMap::new(),
            author_view: None,
        }
    }

    /// Loads what the store held: mentions, drafts, replies. One sort, not n inserts.
    pub fn load(
        &mut self,
        mentions: Vec<Mention>,
        drafts: Vec<(MentionId, String)>,
        replies: Vec<Reply>,
    ) {
        for m in mentions {
            if let Some(parent) = &m.in_reply_to {
                self.children
                    .entry(parent.clone())
                    .or_default()
                    .push(m.id.clone());
            }
            super::author::count(&mut self.tallies, &m);
            self.mentions.insert(m.id.clone(), m);
        }
        self.drafts
            .extend(drafts.into_iter().filter(|(_, t)| !t.is_empty()));
        for r in replies {
            self.replies
                .entry(r.mention_id.clone())
                .or_default()
                .push(r);
        }
        for list in self.replies.values_mut() {
            list.sort_by_key(|r| r.created);
        }
        self.rebuild_visible();
        self.recount();
    }

    pub fn rank(&self, m: &Mention) -> RankKey {
        rank_key(m, self.sla, &self.weights)
    }

    /// Where `m` stands against its target (band, cues, the account's hours, pauses).
    pub fn sla_clock(&self, m: &Mention) -> crate::sla::Clock {
        let pauses = self.pauses.of(&m.id);
        self.sla_policy
            .clock(m, self.sla, &self.weights, pauses, self.now)
    }

    /// The time from posting to the deadline, so `age >= sla_of` exactly when breached;
    /// far away while the clock stands still.
    pub fn sla_of(&self, m: &Mention) -> Millis {
        self.sla_clock(m)
            .deadline
            .map_or(Millis::MAX / 8, |d| d - m.created)
    }

    pub fn admits(&self, m: &Mention) -> bool {
        self.view.admits(m, self.now)
            && self.filter.matches(m)
            && (!self.mine || m.work.assignee.as_deref() == Some(self.actor.as_str()))
    }

    /// Recomputes the visible list (view, filter, SLA or snoozes changed) keeping the selection.
    pub fn rebuild_visible(&mut self) {
        let mut keys: Vec<RankKey> = self
            .mentions
            .values()
            .filter(|m| self.admits(m))
            .map(|m| self.rank(m))
            .collect();
        keys.sort_unstable();
        self.visible = Visible::from_sorted(keys);
        self.new_above = 0;
        if self.selected_index().is_none() {
            self.select_index(0);
        }
        self.ensure_visible();
    }

    /// A new mention from the store: placed by rank; the selection stays on its mention and
    /// on its screen row (rows do not jump under the reader's eyes).
    pub fn insert_mention(&mut self, m: Mention) {
        if self.mentions.contains_key(&m.id) {
            return;
        }
        if let Some(parent) = &m.in_reply_to {
            self.children
                .entry(parent.clone())
                .or_default()
                .push(m.id.clone());
        }
        self.count_in(&m);
        let admitted = self.admits(&m);
        let key = self.rank(&m);
        super::author::count(&mut self.tallies, &m);
        self.mentions.insert(m.id.clone(), m);
        if admitted {
            self.place(key);
        }
    }

    /// A row joins the visible list: placed by rank, the selection stays on its mention and
    /// on its screen row.
    pub(super) fn place(&mut self, key: RankKey) {
        let sel = self.selected_index();
        let at = self.visible.insert(key);
        match sel {
            // Nobody has chosen a mention yet: stay on the most urgent one.
            _ if !self.touched => self.select_index(0),
            // At the top of the queue, show what arrives there; elsewhere keep the
            // selected row still, so nothing moves under the reader's eyes.
            Some(s) if at <= s && self.scroll > 0 => {
                self.scroll += 1;
                if at < self.scroll {
                    self.new_above += 1;
                }
            }
            None => self.select_index(0),
            _ => {}
        }
        self.ensure_visible();
    }

    /// A row leaves the visible list; if it was selected, the one that takes its place is.
    pub(super) fn unplace(&mut self, key: &RankKey) {
        let sel = self.selected_index();
        let Some(at) = self.visible.remove(key) else {
            return;
        };
        if sel == Some(at) {
            self.select_index(at.min(self.visible.len().saturating_sub(1)));
        }
        self.ensure_visible();
    }

    /// Applies a change to one mention and moves it in or out of the visible list.
    pub fn replace_mention(&mut self, m: Mention) {
        let sel_before = self.selected_index();
        if let Some(old) = self.mentions.remove(&m.id) {
            let k = self.rank(&old);
            self.visible.remove(&k);
            self.count_out(&old);
        }
        self.count_in(&m);
        let admitted = self.admits(&m);
        let key = self.rank(&m);
        let id = m.id.clone();
        self.mentions.insert(id.clone(), m);
        if admitted {
            self.visible.insert(key);
        }
        if self.selected.as_deref() == Some(id.as_str()) && !admitted {
            // The handled mention leaves the view: select the one that took its place.
            let i = sel_before
                .unwrap_or(0)
                .min(self.visible.len().saturating_sub(1));
            self.select_index(i);
        }
        self.ensure_visible();
    }

    pub fn selected_mention(&self) -> Option<&Mention> {
        self.mentions.get(self.selected.as_ref()?)
    }

    pub fn selected_index(&self) -> Option<usize> {
        let m = self.selected_mention()?;
        self.visible.position(&self.rank(m))
    }

    pub fn select_index(&mut self, i: usize) {
        self.selected = self.visible.get(i).map(|k| k.id.clone());
        self.detail_scroll = 0;
    }

    pub fn queue_rows(&self) -> usize {
        let (w, h) = self.screen;
        let banner = self.notices.len().min(2) as u16;
        crate::layout::queue_rows(
            ratatui::layout::Rect::new(0, 0, w, h),
            self.compose.is_some(),
            banner,
        )
        .max(1)
    }

    /// After a resize: the least scroll that still shows the selection, so rows scrolled
    /// away on a small screen come back (the most urgent at the top) when they fit again.
    pub fn fit_scroll(&mut self) {
        let rows = self.queue_rows();
        let least = self
            .selected_index()
            .map_or(0, |i| (i + 1).saturating_sub(rows));
        self.scroll = self.scroll.min(least);
        self.ensure_visible();
    }

    /// Keeps the selected row inside the pane.
    pub fn ensure_visible(&mut self) {
        let rows = self.queue_rows();
        let len = self.visible.len();
        if let Some(i) = self.selected_index() {
            if i < self.scroll {
                self.scroll = i;
            } else if i >= self.scroll + rows {
                self.scroll = i + 1 - rows;
            }
        }
        // No empty rows at the bottom while rows above are scrolled away.
        self.scroll = self.scroll.min(len.saturating_sub(rows));
        if self.scroll == 0 {
            self.new_above = 0;
        }
    }

    /// How far the quote above the editor can scroll: its last row at the pane's bottom.
    pub fn quote_scroll_max(&self) -> u16 {
        let Some(m) = self
            .compose
            .as_ref()
            .and_then(|c| self.mentions.get(&c.mention))
        else {
            return 0;
        };
        let (w, h) = self.screen;
        let banner = self.notices.len().min(2) as u16;
        let area =
            crate::layout::areas(ratatui::layout::Rect::new(0, 0, w, h), true, banner).detail;
        let rows = area.height.saturating_sub(crate::layout::PANE_TITLE_ROWS) as usize;
        let total = quote_rows(m, area.width as usize).len();
        total.saturating_sub(rows).min(u16::MAX as usize) as u16
    }

    pub fn info(&mut self, text: impl Into<String>) {
        self.say(StatusKind::Info, text.into());
    }

    pub fn error(&mut self, text: impl Into<String>) {
        self.say(StatusKind::Error, text.into());
    }

    /// Adds to the message just shown (status line and history alike).
    pub fn amend_status(&mut self, more: &str) {
        if let Some(s) = self.status.as_mut() {
            s.text.push_str(more);
            if let Some(last) = self.messages.last_mut() {
                *last = s.clone();
            }
        }
    }

    /// Shows a message on the status line and keeps it in the history (`:messages`).
    fn say(&mut self, kind: StatusKind, text: String) {
        let s = Status {
            kind,
            text,
            at: self.now,
        };
        self.messages.push(s.clone());
        if self.messages.len() > MESSAGES_KEPT {
            self.messages.remove(0);
        }
        self.status = Some(s);
    }
}

/// How many messages `:messages` keeps.
const MESSAGES_KEPT: usize = 500;

/// The quote above the editor, one string a row: a header row (drawn from the mention by
/// the renderer), then the mention's words wrapped to `cols`.
pub fn quote_rows(m: &Mention, cols: usize) -> Vec<String> {
    let mut rows = vec![String::new()];
    rows.extend(crate::ui::text::wrap(&m.text, cols));
    rows
}

/// Languages `reply.lang` cycles through.
pub const LANGS: &[&str] = &["en", "pl", "ru", "tr", "bg", "uk", "de"];

/// The gate's view of the open reply.
#[derive(Debug, Clone, Default)]
pub struct GateState {
    /// The language spelling is checked in.
    pub lang: String,
    /// Chosen with a key: detection no longer changes it.
    pub lang_chosen: bool,
    pub private: bool,
    /// The template text as inserted (filled), for the copy-paste check.
    pub template: Option<String>,
    /// Findings waved through for this reply (`kind:text`), each audited.
    pub overridden: BTreeSet<String>,
    /// Current findings, overridden ones removed.
    pub findings: Vec<Finding>,
    /// A misspelling at the cursor that is still being typed: not flagged yet, but the
    /// reply is not called ready while it is there.
    pub typing: Option<Finding>,
    /// Where the cursor was after the last edit: a word ending there is still being typed.
    /// Anything but typing (Tab, an arrow, a send) ends the word.
    pub typing_at: Option<usize>,
    /// The cursor the findings were worked out for; when it moves, the word it left is
    /// no longer being typed and is checked (`reply::recheck_if_moved`).
    pub checked_cursor: usize,
    /// The text sent while its dictionary was loading: it is sent once the dictionary has
    /// checked it, if it is still the text in the editor.
    pub send_when_checked: Option<String>,
}

impl GateState {
    pub fn for_lang(lang: &str) -> Self {
        Self {
            lang: if LANGS.contains(&lang) { lang } else { "en" }.to_string(),
            ..Self::default()
        }
    }

    pub fn blocking(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(|f| f.blocking)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ThreadState {
    Loading,
    Ready(Thread),
    /// One line, for the detail pane.
    Failed(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThreadView {
    pub seq: u64,
    pub mention: String,
    pub state: ThreadState,
}

pub fn audit(app: &App, action: &str, mention: Option<&str>, detail: &str) -> Effect {
    Effect::Audit(AuditEntry {
        at: app.now,
        actor: app.actor.clone(),
        action: action.to_string(),
        mention: mention.map(str::to_string),
        detail: detail.to_string(),
    })
}

pub fn apply_filter(app: &mut App, text: &str) {
    match Filter::parse(text) {
        Ok(f) => {
            app.filter = f;
            app.rebuild_visible();
            if !app.filter.is_empty() {
                app.info(format!(
                    "filter: {} ({} match)",
                    app.filter.raw,
                    app.visible.len()
                ));
            }
        }
        Err(e) => app.error(e),
    }
}
