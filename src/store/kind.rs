//! A store holds either the demo's made-up mentions or real accounts' mentions, never both:
//! fake mentions at the top of a real queue would be answered, counted and audited as real.
//! The first use marks the store in its meta tree; a use of the other kind is refused with
//! what to do instead.

use std::path::Path;

use super::Store;
use crate::model::DEMO_SOURCE;

const KIND_KEY: &str = "store.kind";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Demo,
    Real,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Demo => "demo",
            Kind::Real => "real",
        }
    }
}

/// What the store holds: its mark, or (a store from before the mark) what its mentions say.
pub fn kind(store: &dyn Store) -> super::Result<Option<Kind>> {
    match store.meta_get(KIND_KEY)?.as_deref() {
        Some("demo") => return Ok(Some(Kind::Demo)),
        Some("real") => return Ok(Some(Kind::Real)),
        _ => {}
    }
    let mentions = store.load_mentions()?;
    Ok(if mentions.iter().any(|m| m.source != DEMO_SOURCE) {
        Some(Kind::Real)
    } else if mentions.is_empty() {
        None
    } else {
        Some(Kind::Demo)
    })
}

/// Marks the store for `want` on first use; refuses a store of the other kind, saying why
/// and what to do.
pub fn claim(store: &dyn Store, want: Kind, store_dir: &Path) -> Result<(), String> {
    let have = kind(store).map_err(|e| e.to_string())?;
    let dir = store_dir.display();
    match (have, want) {
        (Some(h), w) if h == w => Ok(()),
        (None, w) => {
            store
                .meta_put(KIND_KEY, w.name())
                .and_then(|()| store.flush())
                .map_err(|e| e.to_string())?;
            Ok(())
        }
        (Some(_), Kind::Demo) => Err(format!(
            "the demo does not run in {dir}: that store holds real accounts' mentions, and \
             made-up ones would mix with them. Try the demo in a data directory of its own: \
             modq --data-dir /tmp/modq-demo demo"
        )),
        (Some(_), Kind::Real) => Err(format!(
            "{dir} holds the demo's made-up mentions; real accounts' mentions are kept apart \
             from them. Move that store aside (mv {dir} {dir}-demo) and start again, or use \
             another --data-dir"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::SledStore;

    fn mention(source: &str) -> crate::model::Mention {
        let raw = crate::sources::RawMention {
            source: source.into(),
            network: crate::model::Network::Mastodon,
            remote_id: "1".into(),
            author_name: "Kim".into(),
            author_handle: "@kim@x.example".into(),
            followers: 1,
            text: "hello".into(),
            lang: Some("en".into()),
            created: 0,
            in_reply_to: None,
            url: None,
        };
        crate::ingest::prepare(&raw, 0)
    }

    #[test]
    fn first_use_marks_and_the_other_kind_is_refused() {
        let dir = Path::new("/data/store");
        let s = SledStore::temporary().unwrap();
        assert_eq!(kind(&s).unwrap(), None);
        claim(&s, Kind::Real, dir).unwrap();
        claim(&s, Kind::Real, dir).unwrap();
        let e = claim(&s, Kind::Demo, dir).unwrap_err();
        assert!(e.contains("--data-dir /tmp/modq-demo demo"), "{e}");
        let s = SledStore::temporary().unwrap();
        claim(&s, Kind::Demo, dir).unwrap();
        let e = claim(&s, Kind::Real, dir).unwrap_err();
        assert!(e.contains("mv /data/store /data/store-demo"), "{e}");
    }

    #[test]
    fn an_unmarked_store_is_judged_by_its_mentions() {
        let s = SledStore::temporary().unwrap();
        s.put_mention(&mention(DEMO_SOURCE)).unwrap();
        assert_eq!(kind(&s).unwrap(), Some(Kind::Demo));
        s.put_mention(&mention("social.example")).unwrap();
        assert_eq!(kind(&s).unwrap(), Some(Kind::Real));
    }
}
