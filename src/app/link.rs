//! The link actions: open the post or the author's profile, copy the post's link. The app
//! checks the link and says what it does; the driver opens or copies it.

use super::event::Effect;
use super::state::App;
use crate::actions::ActionKind as A;

pub fn act(app: &mut App, kind: A, fx: &mut Vec<Effect>) {
    let Some(m) = app.selected_mention() else {
        app.error("no mention selected");
        return;
    };
    let link = match kind {
        A::LinkOpenAuthor => crate::links::profile(m),
        _ => crate::links::post(m),
    };
    let link = match link {
        Ok(l) => l,
        Err(why) => {
            app.error(why);
            return;
        }
    };
    match kind {
        A::LinkCopy if !app.osc52 => app.error(
            "copying links is off: set osc52 = true in config.toml if your terminal \
             allows OSC 52",
        ),
        A::LinkCopy => {
            app.info(format!("copied {link} (OSC 52)"));
            fx.push(Effect::CopyLink(link));
        }
        _ => {
            app.info(format!("opening {link}"));
            fx.push(Effect::OpenLink(link));
        }
    }
}
