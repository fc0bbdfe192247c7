//! The 16-colour themes reach the terminal as short SGR codes (`ESC[91m`), not as
//! 256-colour indexes (`ESC[38;5;9m`), and the screen they draw is the same.

mod common;

use std::cell::RefCell;
use std::io::Write;
use std::rc::Rc;

use common::Harness;
use modq::sgr::ShortSgr;
use modq::theme::Theme;
use ratatui::backend::CrosstermBackend;
use ratatui::{Terminal, TerminalOptions, Viewport};

/// What the terminal was sent.
#[derive(Clone, Default)]
struct Sent(Rc<RefCell<Vec<u8>>>);

impl Write for Sent {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn draw<W: Write>(h: &Harness, out: W) {
    // A fixed area: no terminal is asked for its size.
    let viewport = Viewport::Fixed(ratatui::layout::Rect::new(0, 0, 100, 30));
    let mut t =
        Terminal::with_options(CrosstermBackend::new(out), TerminalOptions { viewport }).unwrap();
    t.draw(|f| modq::ui::render(f, &h.app)).unwrap();
}

fn screen(bytes: &[u8]) -> vt100::Parser {
    let mut p = vt100::Parser::new(30.try_into().unwrap(), 100.try_into().unwrap(), 0);
    p.process(bytes);
    p
}

#[test]
fn sixteen_colour_themes_go_out_as_short_codes_and_draw_the_same_screen() {
    let mut h = Harness::new();
    h.demo(40);
    h.event(modq::app::Event::Resize(100, 30));
    for name in ["dark", "light", "night", "high-contrast"] {
        h.app.theme = Theme::embedded(name).unwrap();
        let (long, short) = (Sent::default(), Sent::default());
        draw(&h, long.clone());
        draw(&h, ShortSgr::new(short.clone()));
        let (long, short) = (long.0.take(), short.0.take());
        let text = String::from_utf8_lossy(&short);
        let long_text = String::from_utf8_lossy(&long);
        assert!(
            long_text.contains("38;5;"),
            "{name}: crossterm writes indexes"
        );
        assert!(!text.contains("38;5;"), "{name}: a 256-colour foreground");
        assert!(!text.contains("48;5;"), "{name}: a 256-colour background");
        assert!(short.len() < long.len(), "{name}: shorter");
        let (a, b) = (screen(&long), screen(&short));
        for row in 0..30 {
            for col in 0..100 {
                let (x, y) = (
                    a.screen().cell(row, col).unwrap(),
                    b.screen().cell(row, col).unwrap(),
                );
                assert_eq!(x.contents(), y.contents(), "{name} {row}:{col}");
                assert_eq!(x.fgcolor(), y.fgcolor(), "{name} {row}:{col}");
                assert_eq!(x.bgcolor(), y.bgcolor(), "{name} {row}:{col}");
                assert_eq!(
                    (x.bold(), x.dim(), x.underline(), x.inverse()),
                    (y.bold(), y.dim(), y.underline(), y.inverse()),
                    "{name} {row}:{col}"
                );
            }
        }
    }
}
