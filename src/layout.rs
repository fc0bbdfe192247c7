//! Screen geometry, a pure function of the terminal size and what is open. Both the renderer
//! and the app (for paging and scrolling) use it, so they always agree.

use ratatui::layout::Rect;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Areas {
    pub banner: Rect,
    pub queue: Rect,
    pub detail: Rect,
    pub compose: Rect,
    pub hints: Rect,
    pub status: Rect,
    /// The column between queue and detail when they sit side by side.
    pub divider: Rect,
    /// True when queue and detail sit side by side.
    pub wide: bool,
}

/// Panes carry a one-line title on top; the rest are rows.
pub const PANE_TITLE_ROWS: u16 = 1;

pub fn areas(area: Rect, composing: bool, banner_lines: u16) -> Areas {
    let mut a = Areas::default();
    let mut body = area;
    if body.height == 0 || body.width == 0 {
        return a;
    }
    a.status = take_bottom(&mut body, 1);
    if area.height >= 12 {
        a.hints = take_bottom(&mut body, 1);
    }
    if area.height >= 10 && banner_lines > 0 {
        a.banner = take_top(&mut body, banner_lines.min(2));
    }
    if body.width >= 120 {
        a.wide = true;
        let left = body.width * 11 / 20;
        a.queue = Rect {
            width: left,
            ..body
        };
        a.divider = Rect {
            x: body.x + left,
            width: 1,
            ..body
        };
        let mut right = Rect {
            x: body.x + left + 1,
            width: body.width - left - 1,
            ..body
        };
        if composing {
            let h = right.height * 2 / 5;
            a.detail = take_top(&mut right, h);
            a.compose = right;
        } else {
            a.detail = right;
        }
    } else if composing {
        // On a short screen the words being answered matter more than the queue.
        let q = if body.height < 16 {
            0
        } else {
            (body.height / 5).max(PANE_TITLE_ROWS + 2)
        };
        a.queue = take_top(&mut body, q);
        let d = body.height * 2 / 5;
        a.detail = take_top(&mut body, d);
        a.compose = body;
    } else {
        let q = body.height * 11 / 20;
        let q = q.max(body.height.min(PANE_TITLE_ROWS + 1));
        a.queue = take_top(&mut body, q);
        a.detail = body;
    }
    a
}

/// How many mention rows fit in the queue pane.
pub fn queue_rows(area: Rect, composing: bool, banner_lines: u16) -> usize {
    areas(area, composing, banner_lines)
        .queue
        .height
        .saturating_sub(PANE_TITLE_ROWS) as usize
}

fn take_top(r: &mut Rect, h: u16) -> Rect {
    let h = h.min(r.height);
    let out = Rect { height: h, ..*r };
    r.y += h;
    r.height -= h;
    out
}

fn take_bottom(r: &mut Rect, h: u16) -> Rect {
    let h = h.min(r.height);
    r.height -= h;
    Rect {
        y: r.y + r.height,
        height: h,
        ..*r
    }
}

/// A box of at most `w`×`h` in the middle of `area` (overlays, pickers).
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_size_fits_inside_the_screen() {
        for w in 0..140u16 {
            for h in 0..40u16 {
                for composing in [false, true] {
                    let area = Rect::new(0, 0, w, h);
                    let a = areas(area, composing, 2);
                    for r in [
                        a.banner, a.queue, a.detail, a.compose, a.hints, a.status, a.divider,
                    ] {
                        assert!(r.right() <= area.right() && r.bottom() <= area.bottom());
                    }
                }
            }
        }
    }

    #[test]
    fn standard_terminal_has_room_to_work() {
        let a = areas(Rect::new(0, 0, 80, 24), false, 0);
        assert!(a.queue.height >= 10, "{a:?}");
        assert!(a.detail.height >= 8);
        let c = areas(Rect::new(0, 0, 80, 24), true, 0);
        assert!(c.compose.height >= 7, "{c:?}");
        assert!(c.detail.height >= 6, "the quote above the editor: {c:?}");
        let small = areas(Rect::new(0, 0, 40, 12), true, 0);
        assert!(
            small.detail.height >= 3 && small.compose.height >= 4,
            "{small:?}"
        );
    }
}
