//! The compose path beyond typing: templates (picker and keymap), placeholders, the gate as
//! the moderator types and on send, suggestions, overrides (each audited), privacy and the
//! reply's language. Slow work (dictionaries, suggestions) goes out as effects.

use super::event::Effect;
use super::state::{audit, App, Picker, PickerPurpose, LANGS};
use crate::actions::{Action, ActionKind as A};
use crate::compose::editor::Editor;
use crate::compose::gate::{self, Finding, Kind};
use crate::compose::kit::{Done, Job, Slot};
use crate::compose::{placeholder, template};
use crate::model::ReplyState;

/// Runs an edit on the open reply and saves the draft (the driver makes it durable).
pub fn edit(app: &mut App, fx: &mut Vec<Effect>, f: impl FnOnce(&mut Editor)) {
    let Some(c) = app.compose.as_mut() else {
        return;
    };
    let before = c.editor.text().len();
    let before_text = (before < 4096).then(|| c.editor.text().to_string());
    f(&mut c.editor);
    let changed = match &before_text {
        Some(t) => t != c.editor.text(),
        None => true,
    };
    if changed {
        c.gate.typing_at = Some(c.editor.cursor());
        let text = c.editor.text().to_string();
        let mention = c.mention.clone();
        if text.is_empty() {
            app.drafts.remove(&mention);
            fx.push(Effect::DeleteDraft(mention));
        } else {
            app.drafts.insert(mention.clone(), text.clone());
            fx.push(Effect::SaveDraft { mention, text });
        }
        recheck(app, fx);
    }
}

pub fn run(app: &mut App, action: &Action, fx: &mut Vec<Effect>) {
    if app.compose.is_none() {
        app.error("open a reply first");
        return;
    }
    match action.kind {
        A::TemplatePick => open_picker(app),
        A::TemplateInsert => match action.arg.as_deref() {
            Some(id) => insert_template(app, id, fx),
            None => app.error("which template? e.g. template.insert:refund"),
        },
        A::ComposeNextPlaceholder | A::ComposePrevPlaceholder => {
            let back = action.kind == A::ComposePrevPlaceholder;
            let Some(c) = app.compose.as_mut() else {
                return;
            };
            match placeholder::next(c.editor.text(), c.editor.cursor(), back) {
                Some(r) => c.editor.set_cursor(r.start),
                None => {
                    app.info("no placeholder left to fill");
                    // Tab after the last one says the word typed there is finished.
                    if let Some(c) = app.compose.as_mut() {
                        c.gate.typing_at = None;
                    }
                    recheck(app, fx);
                }
            }
        }
        A::ReplyPrivate => {
            if let Some(c) = app.compose.as_mut() {
                c.gate.private = !c.gate.private;
                let p = c.gate.private;
                app.info(if p {
                    "the reply will be sent privately"
                } else {
                    "the reply is public"
                });
            }
            recheck(app, fx);
        }
        A::ReplyLang => {
            if let Some(c) = app.compose.as_mut() {
                let next = match action.arg.as_deref() {
                    Some(l) => l.to_string(),
                    None => {
                        let i = LANGS.iter().position(|l| *l == c.gate.lang).unwrap_or(0);
                        LANGS[(i + 1) % LANGS.len()].to_string()
                    }
                };
                c.gate.lang = next.clone();
                c.gate.lang_chosen = true;
                app.info(format!("spelling: {next}"));
            }
            recheck(app, fx);
        }
        A::GateNext => {
            let Some(c) = app.compose.as_mut() else {
                return;
            };
            let at = c.editor.cursor();
            let next = c
                .gate
                .findings
                .iter()
                .filter(|f| f.range.end > f.range.start)
                .find(|f| f.range.start > at)
                .or_else(|| c.gate.findings.iter().find(|f| f.range.end > f.range.start))
                .map(|f| f.range.start);
            match next {
                Some(p) => c.editor.set_cursor(p),
                None => app.info("nothing to fix"),
            }
        }
        A::GateApply => apply_suggestion(app, action.arg.as_deref(), fx),
        A::GateAddWord => add_word(app, fx),
        A::GateOverride => override_current(app, fx),
        _ => {}
    }
}

/// The finding the moderator is looking at: under the cursor, else the next blocking one.
fn current(app: &App) -> Option<(Finding, String)> {
    let c = app.compose.as_ref()?;
    let at = c.editor.cursor();
    let f = &c.gate.findings;
    let hit = f
        .iter()
        .find(|f| f.range.start <= at && at <= f.range.end && f.range.end > f.range.start)
        .or_else(|| f.iter().find(|f| f.blocking && f.range.start >= at))
        .or_else(|| f.iter().find(|f| f.blocking))?;
    Some((hit.clone(), c.editor.text().to_string()))
}

fn apply_suggestion(app: &mut App, arg: Option<&str>, fx: &mut Vec<Effect>) {
    let n = arg
        .and_then(|a| a.parse::<usize>().ok())
        .unwrap_or(1)
        .max(1);
    let Some((f, _)) = current(app).filter(|(f, _)| f.kind == Kind::Spelling) else {
        app.error("no misspelt word here");
        return;
    };
    let Some(s) = f.suggestions.get(n - 1).cloned() else {
        app.error(if f.suggestions.is_empty() {
            "no suggestion (yet)"
        } else {
            "there is no suggestion with that number"
        });
        return;
    };
    edit(app, fx, |e| {
        let (was, len) = (e.cursor(), e.text().len());
        e.replace_range(f.range.clone(), &s);
        // A word fixed behind the cursor moves it along: typing goes on where it was.
        if was > f.range.end {
            e.set_cursor((was + e.text().len()).saturating_sub(len));
        }
    });
    recheck(app, fx);
}

fn add_word(app: &mut App, fx: &mut Vec<Effect>) {
    let Some((f, text)) = current(app).filter(|(f, _)| f.kind == Kind::Spelling) else {
        app.error("no misspelt word here");
        return;
    };
    let word = text[f.range.clone()].replace('’', "'");
    app.kit.brand_words.insert(word.to_lowercase());
    if let Some(file) = app.kit.brand_file.clone() {
        fx.push(Effect::Gate(Job::SaveBrandWord {
            word: word.clone(),
            file,
        }));
    }
    let mention = app.compose.as_ref().map(|c| c.mention.clone());
    fx.push(audit(app, "gate.add_word", mention.as_deref(), &word));
    recheck(app, fx);
}

fn override_current(app: &mut App, fx: &mut Vec<Effect>) {
    let Some((f, text)) = current(app) else {
        app.info("nothing to override");
        return;
    };
    if !f.overridable() {
        app.error("a placeholder must be filled: a customer would read it as it is");
        return;
    }
    let key = f.key(&text);
    let action = if f.kind == Kind::Spelling {
        "gate.ignore_once"
    } else {
        "gate.send_anyway"
    };
    let mention = app.compose.as_ref().map(|c| c.mention.clone());
    fx.push(audit(app, action, mention.as_deref(), &key));
    if let Some(c) = app.compose.as_mut() {
        c.gate.overridden.insert(key.clone());
    }
    app.info(format!("overridden: {key}"));
    recheck(app, fx);
}

fn open_picker(app: &mut App) {
    app.kit.ranked_query = None;
    app.picker = Some(Picker {
        purpose: PickerPurpose::Template,
        title: "Template".into(),
        items: Vec::new(),
        query: String::new(),
        selected: 0,
        previous: String::new(),
    });
    refresh_picker(app);
}

/// Re-ranks the template picker when its query changed (called after every event).
pub fn refresh_picker(app: &mut App) {
    let Some(p) = app.picker.as_ref() else {
        return;
    };
    if p.purpose != PickerPurpose::Template
        || app.kit.ranked_query.as_deref() == Some(p.query.as_str())
    {
        return;
    }
    let query = p.query.clone();
    let lang = app
        .compose
        .as_ref()
        .map(|c| c.gate.lang.clone())
        .unwrap_or_default();
    let mention = app
        .compose
        .as_ref()
        .and_then(|c| app.mentions.get(&c.mention));
    let items: Vec<String> = template::rank(&app.kit.templates, mention, &lang, &query)
        .into_iter()
        .map(|t| t.id.clone())
        .collect();
    if let Some(p) = app.picker.as_mut() {
        p.selected = p.selected.min(items.len().saturating_sub(1));
        p.items = items;
    }
    app.kit.ranked_query = Some(query);
}

/// The length limits a reply to `m` is held to: its instance's, once it has told them, else
/// the configured ones. The gate and the editor's counter both read them here.
pub fn limits(app: &App, m: &crate::model::Mention) -> crate::compose::gate::length::Limits {
    app.limits.get(&m.source).copied().unwrap_or(app.kit.limits)
}

/// The template's body for the open reply, filled for its mention.
pub fn filled(app: &App, id: &str) -> Option<String> {
    let t = app.kit.template(id)?;
    let c = app.compose.as_ref()?;
    let m = app.mentions.get(&c.mention)?;
    let (_, body) = t.body_for(&c.gate.lang);
    // The mention's own deadline from the SLA policy (bands, cues, hours, pauses).
    let c = app.sla_clock(m);
    let expected = clock(c.deadline.unwrap_or(app.now + c.left.max(0)));
    let v = placeholder::values(m, &app.actor, app.kit.brand.as_deref(), &expected);
    Some(placeholder::fill(body, &v))
}

/// `HH:MM UTC`, the time the SLA promises an answer by.
fn clock(ms: i64) -> String {
    let min = ms.div_euclid(60_000).rem_euclid(24 * 60);
    format!("{:02}:{:02} UTC", min / 60, min % 60)
}

pub fn insert_template(app: &mut App, id: &str, fx: &mut Vec<Effect>) {
    let Some(text) = filled(app, id) else {
        app.error(format!("no template {id} (modq templates list)"));
        return;
    };
    let empty = app.compose.as_ref().is_some_and(|c| c.editor.is_empty());
    edit(app, fx, |e| {
        if empty {
            e.replace_range(0..0, &text);
        } else {
            e.insert_str(&text);
        }
    });
    if let Some(c) = app.compose.as_mut() {
        c.gate.template = Some(text.clone());
        // Straight to the first thing the moderator must fill.
        if let Some(r) = placeholder::next(c.editor.text(), 0, false) {
            if let Some((first, _)) = placeholder::find(c.editor.text()).first() {
                c.editor.set_cursor(first.start.min(r.start));
            }
        }
    }
    let mention = app.compose.as_ref().map(|c| c.mention.clone());
    fx.push(audit(app, "template.insert", mention.as_deref(), id));
    recheck(app, fx);
}

/// Runs the gate over the open reply (fast: microseconds per word once the dictionary is
/// loaded) and asks for what is missing: the dictionary, suggestions for new misspellings.
pub fn recheck(app: &mut App, fx: &mut Vec<Effect>) {
    check_reply(app, fx, true)
}

/// `typing`: a word that ends at the cursor right after an edit is still being written, so
/// it is not flagged yet.
fn check_reply(app: &mut App, fx: &mut Vec<Effect>, typing: bool) {
    let Some(c) = app.compose.as_mut() else {
        return;
    };
    if !c.gate.lang_chosen {
        if let Some(l) = crate::compose::lang::detect(c.editor.text()) {
            c.gate.lang = l.to_string();
        }
    }
    let Some(c) = app.compose.as_ref() else {
        return;
    };
    let lang = c.gate.lang.clone();
    if !app.kit.dicts.contains_key(&lang) {
        app.kit.dicts.insert(lang.clone(), Slot::Loading);
        fx.push(Effect::Gate(Job::LoadDictionary {
            lang: lang.clone(),
            dirs: app.kit.dict_dirs.clone(),
        }));
    }
    let Some(m) = app.mentions.get(&c.mention) else {
        return;
    };
    let text = c.editor.text();
    let earlier = app.replies.get(&m.id).map_or(0, |l| {
        l.iter()
            .filter(|r| !matches!(r.state, ReplyState::Failed(_)))
            .count()
    });
    let day_ago = app.now - 24 * 3_600_000;
    let same_text = app.replies.iter().any(|(mid, list)| {
        app.mentions
            .get(mid)
            .is_some_and(|o| o.author.handle == m.author.handle)
            && list
                .iter()
                .any(|r| r.created >= day_ago && r.text.trim() == text.trim())
    });
    let names = vec![
        placeholder::first_name(&m.author.name, &m.author.handle),
        m.author.handle.clone(),
    ];
    // The customer's own name is never a spelling mistake.
    let mut known = app.kit.brand_words.clone();
    known.extend(
        m.author
            .name
            .split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '-')
            .chain(names.iter().map(String::as_str))
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase),
    );
    let dictionary = match app.kit.dicts.get(&lang) {
        Some(Slot::Ready(s)) => gate::Dictionary::Ready(&s.0),
        Some(Slot::Missing(why)) => gate::Dictionary::Missing(why),
        _ => gate::Dictionary::Loading,
    };
    let mut findings = gate::check(&gate::Input {
        text,
        lang: &lang,
        lang_chosen: c.gate.lang_chosen,
        customer_lang: Some(&m.lang),
        network: m.network,
        private: c.gate.private,
        limits: limits(app, m),
        dictionary,
        known_words: &known,
        template: c.gate.template.as_deref(),
        names: &names,
        earlier_to_mention: earlier,
        same_text_to_author: same_text,
    });
    let cursor = c.editor.cursor();
    let typing = typing && c.gate.typing_at == Some(cursor);
    let being_typed = |f: &Finding| typing && f.kind == Kind::Spelling && f.range.end == cursor;
    findings.retain(|f| !c.gate.overridden.contains(&f.key(text)));
    let typed_now = findings
        .iter()
        .position(being_typed)
        .map(|i| findings.remove(i));
    let speller = match app.kit.dicts.get(&lang) {
        Some(Slot::Ready(s)) => Some(s.clone()),
        _ => None,
    };
    for f in findings.iter_mut().filter(|f| f.kind == Kind::Spelling) {
        let word = text[f.range.clone()].replace('’', "'");
        let key = (lang.clone(), word.clone());
        match app.kit.suggestions.get(&key) {
            Some(list) => f.suggestions = list.clone(),
            None => {
                if let Some(s) = &speller {
                    if app.kit.suggesting.insert(key) {
                        fx.push(Effect::Gate(Job::Suggest {
                            speller: s.clone(),
                            word,
                        }));
                    }
                }
            }
        }
    }
    if let Some(c) = app.compose.as_mut() {
        c.gate.findings = findings;
        c.gate.typing = typed_now;
        c.gate.checked_cursor = cursor;
    }
}

/// The gate follows the cursor as well as the text: a word typed into a placeholder and
/// left with `Tab` or an arrow is checked then, not at the next edit.
pub fn recheck_if_moved(app: &mut App, fx: &mut Vec<Effect>) {
    let moved = app
        .compose
        .as_ref()
        .is_some_and(|c| c.editor.cursor() != c.gate.checked_cursor);
    if moved {
        recheck(app, fx);
    }
}

/// A finished background job: store it, and check the reply again with what it brought.
pub fn on_done(app: &mut App, done: Done, fx: &mut Vec<Effect>) {
    match app.kit.absorb(done) {
        Some(Ok(msg)) => app.info(msg),
        Some(Err(e)) => app.error(format!("brand words not saved: {e}")),
        None => {}
    }
    recheck(app, fx);
}

/// Whether a reply sent while its dictionary was loading is now checked and still the text
/// in the editor, so that it is to be sent now. A text changed since is not sent: the
/// moderator sends it again.
pub fn take_send_when_checked(app: &mut App) -> bool {
    let Some(c) = app.compose.as_mut() else {
        return false;
    };
    if c.gate.send_when_checked.is_none()
        || matches!(app.kit.dicts.get(&c.gate.lang), Some(Slot::Loading))
    {
        return false;
    }
    let sent = c.gate.send_when_checked.take();
    if sent.as_deref() != Some(c.editor.text()) {
        app.info("not sent: the reply changed while its dictionary loaded; send it again");
        return false;
    }
    true
}

/// On send: the gate runs again; any blocking finding not overridden stops the reply and
/// the cursor goes to it.
pub fn may_send(app: &mut App, fx: &mut Vec<Effect>) -> bool {
    check_reply(app, fx, false);
    let Some(c) = app.compose.as_mut() else {
        return false;
    };
    // Never send as if it had been checked: wait for the dictionary (a fraction of a second),
    // then send what was sent (`take_send_when_checked`).
    if matches!(app.kit.dicts.get(&c.gate.lang), Some(Slot::Loading)) {
        c.gate.send_when_checked = Some(c.editor.text().to_string());
        let lang = c.gate.lang.clone();
        app.info(format!(
            "sending once the {lang} dictionary has checked it…"
        ));
        return false;
    }
    let Some(f) = c.gate.blocking().next().cloned() else {
        return true;
    };
    let n = c.gate.blocking().count();
    if f.range.end > f.range.start {
        c.editor.set_cursor(f.range.start);
    }
    let hint = match f.kind {
        Kind::Placeholder => "fill it in".to_string(),
        Kind::Privacy => format!("{} makes it private", key(app, A::ReplyPrivate)),
        Kind::Spelling => format!(
            "{} applies a suggestion, {} ignores once",
            key(app, A::GateApply),
            key(app, A::GateOverride)
        ),
        _ => format!("fix it, or {} sends anyway", key(app, A::GateOverride)),
    };
    app.error(format!(
        "not sent ({n} to fix): {} {}: {}",
        f.kind.name(),
        f.message,
        hint
    ));
    false
}

fn key(app: &App, kind: A) -> String {
    app.keymap
        .key_for(crate::keymap::Mode::Compose, kind)
        .map(|k| k.to_string())
        .unwrap_or_else(|| format!(":{}", kind.name()))
}
