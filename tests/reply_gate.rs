//! Key scripts through the compose path: template → personalise → a blocked send → fix →
//! sent, and each override written to the audit log.

mod common;

use common::Harness;
use modq::app::{Action, Event};
use modq::compose::template;
use modq::keymap::Mode;
use modq::model::{Label, ReplyState};
use modq::store::Store;

fn action(h: &mut Harness, a: &str) {
    h.event(Event::Action(Action::parse(a).unwrap()));
}

fn text(h: &Harness) -> String {
    h.app.compose.as_ref().unwrap().editor.text().to_string()
}

fn status(h: &Harness) -> String {
    h.app
        .status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default()
}

/// Opens a reply to the most urgent mention (negative first), in English.
fn open(h: &mut Harness) -> String {
    h.demo(40);
    let id = h.app.selected.clone().unwrap();
    assert_eq!(h.app.mentions[&id].sentiment.label, Label::Negative);
    h.keys("r");
    action(h, "reply.lang:en");
    id
}

fn audit_actions(h: &Harness) -> Vec<(String, String)> {
    h.store
        .load_audit()
        .unwrap()
        .into_iter()
        .map(|e| (e.action, e.detail))
        .collect()
}

#[test]
fn template_personalise_blocked_fix_sent() {
    let mut h = Harness::new();
    let id = open(&mut h);
    let m = h.app.mentions[&id].clone();

    h.key("<C-t>");
    assert_eq!(h.app.mode, Mode::Compose);
    assert!(h.app.picker.is_some());
    h.type_text("delivery update");
    let top = h.app.picker.as_ref().unwrap().matches()[0].to_string();
    assert_eq!(top, "delivery-update");
    // The preview is filled for this mention.
    let screen = h.screen(100, 30);
    let first = modq::compose::placeholder::first_name(&m.author.name, &m.author.handle);
    assert!(screen.contains(&format!("Hi {first}")), "{screen}");
    h.key("<Enter>");
    assert!(h.app.picker.is_none());
    let t = text(&h);
    assert!(t.starts_with(&format!("Hi {first}, thank you")), "{t}");
    assert!(t.contains("{order_id}") && t.contains("{eta}"));

    // The cursor waits on the first placeholder: typing replaces it; Tab goes to the next.
    h.type_text("A-1742");
    h.key("<Tab>");
    h.type_text("Fridy");
    assert!(text(&h).contains("order A-1742 is on its way and should arrive by Fridy."));

    // A misspelt word blocks the send and the cursor goes to it.
    h.key("<C-s>");
    assert!(!h.app.replies.contains_key(&id), "nothing may be queued");
    assert!(status(&h).contains("not sent"), "{}", status(&h));
    let c = h.app.compose.as_ref().unwrap();
    let f = &c.gate.findings[0];
    assert_eq!(&c.editor.text()[f.range.clone()], "Fridy");
    assert_eq!(f.suggestions.first().map(String::as_str), Some("Friday"));

    // One key applies the suggestion; a personal line is added.
    h.key("<A-s>");
    assert!(text(&h).contains("arrive by Friday."));
    h.key("<C-End>");
    h.type_text(" I have flagged it as urgent for you.");
    h.key("<C-s>");

    assert!(h.app.compose.is_none(), "{}", status(&h));
    let r = &h.app.replies[&id][0];
    assert_eq!(r.state, ReplyState::Sent);
    assert!(!r.text.contains('{'));
    assert!(!r.private);
    let audit = audit_actions(&h);
    assert!(audit.contains(&("template.insert".into(), "delivery-update".into())));
}

#[test]
fn placeholders_cannot_be_waved_through() {
    let mut h = Harness::new();
    let id = open(&mut h);
    action(&mut h, "template.insert:refund-issued");
    h.key("<C-s>");
    assert!(status(&h).contains("placeholder"), "{}", status(&h));
    h.key("<A-i>");
    h.key("<C-s>");
    assert!(!h.app.replies.contains_key(&id));
}

#[test]
fn overrides_are_audited_one_by_one() {
    let mut h = Harness::new();
    let id = open(&mut h);
    h.type_text("Hi, Zorblax will help. Glorptastic service, sorry!");
    h.key("<C-s>");
    assert!(!h.app.replies.contains_key(&id));
    // The first: the brand's own word, added to the persisted brand dictionary.
    h.key("<A-a>");
    let words = std::fs::read_to_string(h.paths.config_dir.join("brand-words.txt")).unwrap();
    assert_eq!(words.trim(), "Zorblax");
    h.key("<C-s>");
    assert!(
        !h.app.replies.contains_key(&id),
        "one override covers one finding"
    );
    // The second: ignored once.
    h.key("<A-i>");
    h.key("<C-s>");
    assert_eq!(h.app.replies[&id][0].state, ReplyState::Sent);
    let audit = audit_actions(&h);
    assert!(
        audit.contains(&("gate.add_word".into(), "Zorblax".into())),
        "{audit:?}"
    );
    assert!(audit.contains(&("gate.ignore_once".into(), "spelling:Glorptastic".into())));
}

#[test]
fn privacy_blocks_until_the_reply_is_private() {
    let mut h = Harness::new();
    let id = open(&mut h);
    h.type_text("Hi, what is your phone number? We will call you.");
    h.key("<C-s>");
    assert!(status(&h).contains("privacy"), "{}", status(&h));
    assert!(!h.app.replies.contains_key(&id));
    h.key("<A-p>");
    h.key("<C-s>");
    let r = &h.app.replies[&id][0];
    assert!(r.private);
    assert_eq!(r.state, ReplyState::Sent);
}

#[test]
fn tone_blocks_and_send_anyway_is_audited() {
    let mut h = Harness::new();
    let id = open(&mut h);
    h.type_text("Hi, calm down, we are on it.");
    h.key("<C-s>");
    assert!(status(&h).contains("tone"), "{}", status(&h));
    h.key("<A-i>");
    h.key("<C-s>");
    assert_eq!(h.app.replies[&id].len(), 1);
    let audit = audit_actions(&h);
    assert!(audit.contains(&("gate.send_anyway".into(), "tone:calm down".into())));
}

#[test]
fn findings_are_underlined_and_counted_live() {
    let mut h = Harness::new();
    open(&mut h);
    h.type_text("Hi, we are sorry for the dleay. ");
    let screen = h.screen(80, 24);
    assert!(screen.contains("32/500"), "{screen}");
    assert!(screen.contains("spelling: \"dleay\""), "{screen}");
    let t = h.render(80, 24);
    let buf = t.backend().buffer();
    let finding = h.app.theme.style(modq::theme::Role::Finding);
    let underlined = (0..buf.area.height)
        .flat_map(|y| (0..buf.area.width).map(move |x| (x, y)))
        .filter(|&(x, y)| {
            buf[(x, y)].style().add_modifier
                == finding.add_modifier.union(buf[(x, y)].style().add_modifier)
                && buf[(x, y)].fg == finding.fg.unwrap_or(buf[(x, y)].fg)
        })
        .map(|(x, y)| buf[(x, y)].symbol().to_string())
        .collect::<String>();
    assert!(underlined.contains("dleay"), "{underlined}");
}

#[test]
fn picker_ranks_for_the_mention() {
    let mut h = Harness::new();
    h.demo(40);
    let mut m = h.app.selected_mention().unwrap().clone();
    // The texts below are written over the mention's own, so its cues go too (the top row
    // is a safety report, which has a template of its own).
    m.cues.clear();
    let (all, _) = template::load(None);
    let top = |m: &modq::model::Mention, q: &str| -> Vec<String> {
        template::rank(&all, Some(m), &m.lang, q)
            .into_iter()
            .take(3)
            .map(|t| t.id.clone())
            .collect()
    };
    m.sentiment.label = Label::Negative;
    m.lang = "en".into();
    m.text = "Still waiting for my refund, I want my money back".into();
    assert!(
        top(&m, "").contains(&"refund".to_string()),
        "{:?}",
        top(&m, "")
    );
    m.lang = "pl".into();
    m.text = "Paczka przyszła uszkodzona, wszystko rozbite".into();
    assert_eq!(top(&m, "")[0], "damaged", "{:?}", top(&m, ""));
    m.sentiment.label = Label::Positive;
    m.lang = "tr".into();
    m.text = "Harika bir hizmet, çok teşekkür ederim!".into();
    assert_eq!(top(&m, "")[0], "thanks-praise", "{:?}", top(&m, ""));
    // A query wins over the mention's cues.
    assert_eq!(top(&m, "crisis acknowledge")[0], "crisis-1-acknowledge");
}

#[test]
fn no_send_before_the_dictionary_has_checked_the_reply() {
    use modq::compose::kit::{self, Job, Slot};
    let mut h = Harness::new();
    let id = open(&mut h);
    h.app.kit.dicts.insert("en".into(), Slot::Loading);
    h.type_text("Hi, sorry for the wait.");
    assert!(h.screen(80, 24).contains("loading the en dictionary"));
    h.key("<C-s>");
    assert!(status(&h).contains("sending once"), "{}", status(&h));
    assert!(!h.app.replies.contains_key(&id));
    // Once the dictionary has checked it, the reply goes without a second Ctrl-S.
    let dirs = h.app.kit.dict_dirs.clone();
    h.event(Event::Gate(kit::run(Job::LoadDictionary {
        lang: "en".into(),
        dirs,
    })));
    assert_eq!(h.app.replies[&id][0].state, ReplyState::Sent);
}

#[test]
fn a_reply_sent_while_its_dictionary_loads_waits_for_the_gate() {
    use modq::compose::kit::{self, Job, Slot};
    let load = |h: &mut Harness| {
        let dirs = h.app.kit.dict_dirs.clone();
        h.event(Event::Gate(kit::run(Job::LoadDictionary {
            lang: "en".into(),
            dirs,
        })));
    };
    // A misspelling found once the dictionary is there stops it as any blocking finding.
    let mut h = Harness::new();
    let id = open(&mut h);
    h.app.kit.dicts.insert("en".into(), Slot::Loading);
    h.type_text("Hi, sorry for the wiat.");
    h.key("<C-s>");
    load(&mut h);
    assert!(!h.app.replies.contains_key(&id));
    assert!(status(&h).contains("not sent"), "{}", status(&h));
    // Text typed after Ctrl-S is not sent unseen: the moderator sends again.
    let mut h = Harness::new();
    let id = open(&mut h);
    h.app.kit.dicts.insert("en".into(), Slot::Loading);
    h.type_text("Hi, sorry for the wait.");
    h.key("<C-s>");
    h.type_text(" We");
    load(&mut h);
    assert!(!h.app.replies.contains_key(&id));
    assert!(status(&h).contains("changed"), "{}", status(&h));
    h.key("<C-s>");
    assert_eq!(h.app.replies[&id][0].state, ReplyState::Sent);
}

/// A Mastodon account whose instance allows 60 characters (URLs count 30): the gate blocks
/// what the default 500 would let through, for that account's mentions only.
#[test]
fn a_custom_instance_limit_blocks_a_reply_to_that_accounts_mention() {
    let mut h = Harness::new();
    let raw = |source: &str, id: &str| modq::sources::RawMention {
        source: source.into(),
        network: modq::model::Network::Mastodon,
        remote_id: id.into(),
        author_name: "Kim".into(),
        author_handle: "@kim@shop.example".into(),
        followers: 10,
        text: "where is my parcel".into(),
        lang: Some("en".into()),
        created: h.now - 60_000,
        in_reply_to: None,
        url: None,
    };
    h.ingest(vec![raw("small", "1"), raw("big", "2")]);
    h.event(Event::Limits {
        source: "small".into(),
        limits: modq::compose::gate::length::Limits {
            mastodon_max: 60,
            mastodon_url: 30,
            ..Default::default()
        },
    });
    let body = "Sorry about the wait, your parcel is on its way: https://shop.example/t";
    let mut blocked = Vec::new();
    for source in ["small", "big"] {
        let id = h
            .app
            .mentions
            .values()
            .find(|m| m.source == source)
            .unwrap()
            .id
            .clone();
        h.app.selected = Some(id.clone());
        h.keys("r");
        action(&mut h, "reply.lang:en");
        h.type_text(body);
        let length: Vec<String> = h
            .app
            .compose
            .as_ref()
            .unwrap()
            .gate
            .findings
            .iter()
            .filter(|f| f.kind == modq::compose::gate::Kind::Length)
            .map(|f| f.message.clone())
            .collect();
        h.key("<C-s>");
        blocked.push((source, length, h.app.replies.contains_key(&id)));
        if h.app.compose.is_some() {
            h.key("<Esc>");
        }
    }
    // 49 characters of words and spaces + 30 for the URL = 79 of 60.
    assert_eq!(
        blocked,
        [
            (
                "small",
                vec!["79/60: 19 over the mastodon limit".to_string()],
                false
            ),
            ("big", vec![], true),
        ]
    );
}

#[test]
fn a_fix_behind_the_cursor_keeps_typing_where_it_was() {
    let mut h = Harness::new();
    open(&mut h);
    h.type_text("Please send us your order numbr.");
    h.key("<A-s>");
    h.type_text(" Thanks!");
    assert_eq!(text(&h), "Please send us your order number. Thanks!");
}

#[test]
fn an_english_reply_to_a_polish_customer_warns_but_sends() {
    let mut h = Harness::new();
    let raw = |id: &str| modq::sources::RawMention {
        source: "demo".into(),
        network: modq::model::Network::Mastodon,
        remote_id: id.into(),
        author_name: "Ania".into(),
        author_handle: "@ania@shop.example".into(),
        followers: 10,
        text: "Gdzie jest moja paczka? Czekam od tygodnia.".into(),
        lang: Some("pl".into()),
        created: h.now - 60_000,
        in_reply_to: None,
        url: None,
    };
    h.ingest(vec![raw("1"), raw("2")]);
    let ids: Vec<String> = h.app.mentions.keys().cloned().collect();
    let body = "Sorry about the wait, your parcel is on its way and arrives tomorrow.";
    let language = |h: &Harness| -> Vec<String> {
        h.app
            .compose
            .as_ref()
            .unwrap()
            .gate
            .findings
            .iter()
            .filter(|f| f.kind == modq::compose::gate::Kind::Language)
            .map(|f| format!("{} {}", f.blocking, f.message))
            .collect()
    };

    h.app.selected = Some(ids[0].clone());
    h.keys("r");
    h.type_text(body);
    assert_eq!(
        language(&h),
        ["false the customer wrote in Polish; this reply is in English"]
    );
    // A warning: the reply still goes.
    h.key("<C-s>");
    assert_eq!(h.app.replies[&ids[0]].len(), 1, "{}", status(&h));

    // English chosen with a key is the moderator's call: no warning.
    h.app.selected = Some(ids[1].clone());
    h.keys("r");
    action(&mut h, "reply.lang:en");
    h.type_text(body);
    assert!(language(&h).is_empty());
}

/// A report of harm is offered the safety template first, whatever else its words match.
#[test]
fn a_safety_report_is_offered_the_safety_template_first() {
    let mut h = Harness::new();
    h.demo(40);
    let id = h.app.selected.clone().unwrap();
    let m = h.app.mentions[&id].clone();
    assert!(
        m.cues.iter().any(|c| c.tag == "safety"),
        "the demo's first row is the sparking power strip: {}",
        m.text
    );
    h.keys("r");
    h.key("<C-t>");
    let top = h.app.picker.as_ref().unwrap().matches()[0].to_string();
    assert_eq!(top, "safety-report");
    // A mention without the cue is not offered it first.
    h.key("<Esc>");
    h.key("<Esc>");
    h.keys("j r");
    h.key("<C-t>");
    let top = h.app.picker.as_ref().unwrap().matches()[0].to_string();
    assert_ne!(top, "safety-report");
}
