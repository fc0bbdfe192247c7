//! The 16 colours in their short SGR form. crossterm writes every named colour as a
//! 256-colour index (`ESC[38;5;9m`, `ESC[38;5;1;48;5;4m`); the same colours have short codes
//! every terminal knows (`ESC[91m`, `ESC[31;44m`), about half the bytes per colour change.
//! Over a slow SSH link that is what a frame costs, so frames are rewritten on their way
//! out. Colours past the first 16 and RGB ones pass unchanged.

use std::io::{self, Write};

/// A writer that gathers a frame and, on flush, passes it on with short colour codes.
#[derive(Debug, Default)]
pub struct ShortSgr<W: Write> {
    frame: Vec<u8>,
    inner: W,
}

impl<W: Write> ShortSgr<W> {
    pub fn new(inner: W) -> Self {
        Self {
            frame: Vec::new(),
            inner,
        }
    }

    pub fn get_ref(&self) -> &W {
        &self.inner
    }
}

impl<W: Write> Write for ShortSgr<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.frame.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        let frame = shorten(&std::mem::take(&mut self.frame));
        self.inner.write_all(&frame)?;
        self.inner.flush()
    }
}

/// `bytes` with each `38;5;N` / `48;5;N` (N < 16) of a colour sequence in its short form.
/// Anything else, escape sequences included, is copied as it is.
pub fn shorten(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == 0x1b && bytes.get(i + 1) == Some(&b'[') {
            // Parameters, then the final byte.
            let start = i + 2;
            let mut end = start;
            while end < bytes.len() && (bytes[end].is_ascii_digit() || bytes[end] == b';') {
                end += 1;
            }
            if bytes.get(end) == Some(&b'm') {
                out.extend_from_slice(b"\x1b[");
                short_params(&bytes[start..end], &mut out);
                out.push(b'm');
                i = end + 1;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    out
}

fn short_params(params: &[u8], out: &mut Vec<u8>) {
    let parsed: Option<Vec<u16>> = params
        .split(|&b| b == b';')
        .map(|p| std::str::from_utf8(p).ok()?.parse().ok())
        .collect();
    // Empty or odd parameters (`ESC[m`, `ESC[;1m`, huge numbers) are left alone.
    let Some(p) = parsed.filter(|_| !params.is_empty()) else {
        out.extend_from_slice(params);
        return;
    };
    let mut codes: Vec<u16> = Vec::with_capacity(p.len());
    let mut k = 0;
    while k < p.len() {
        match (p[k], p.get(k + 1), p.get(k + 2)) {
            (base @ (38 | 48), Some(5), Some(&n)) if n < 16 => {
                let first = if base == 38 { 30 } else { 40 };
                codes.push(if n < 8 { first + n } else { first + 60 + n - 8 });
                k += 3;
            }
            // Other indexed colours (and the underline colour) keep their three numbers.
            (38 | 48 | 58, Some(5), Some(&n)) => {
                codes.extend([p[k], 5, n]);
                k += 3;
            }
            (38 | 48 | 58, Some(2), _) => {
                let end = (k + 5).min(p.len());
                codes.extend_from_slice(&p[k..end]);
                k = end;
            }
            (c, _, _) => {
                codes.push(c);
                k += 1;
            }
        }
    }
    for (n, c) in codes.iter().enumerate() {
        if n > 0 {
            out.push(b';');
        }
        out.extend_from_slice(c.to_string().as_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(b: &[u8]) -> String {
        String::from_utf8_lossy(&shorten(b)).into_owned()
    }

    #[test]
    fn named_colours_get_their_short_codes() {
        assert_eq!(s(b"\x1b[38;5;1m"), "\x1b[31m");
        assert_eq!(s(b"\x1b[38;5;9;48;5;4m"), "\x1b[91;44m");
        assert_eq!(s(b"\x1b[48;5;15m"), "\x1b[107m");
        assert_eq!(s(b"\x1b[38;5;0;48;5;8m"), "\x1b[30;100m");
        assert_eq!(s(b"\x1b[39;49m"), "\x1b[39;49m");
    }

    #[test]
    fn everything_else_passes_unchanged() {
        for same in [
            &b"\x1b[38;5;16m"[..],
            b"\x1b[38;5;208;48;5;4m",
            b"\x1b[38;2;1;2;3m",
            b"\x1b[58;5;3m",
            b"\x1b[m",
            b"\x1b[1m",
            b"\x1b[12;40H",
            b"\x1b[?25l",
            b"plain 38;5;1m text",
            b"\x1b[38;5m",
            b"\x1b[38;5;",
        ] {
            let want =
                String::from_utf8_lossy(same).replace("\x1b[38;5;208;48;5;4m", "\x1b[38;5;208;44m");
            assert_eq!(s(same), want);
        }
    }

    #[test]
    fn a_frame_goes_out_shortened_on_flush() {
        let mut w = ShortSgr::new(Vec::new());
        w.write_all(b"\x1b[38;5;").unwrap();
        w.write_all(b"3mA").unwrap();
        assert!(w.get_ref().is_empty(), "nothing before the flush");
        w.flush().unwrap();
        assert_eq!(w.get_ref(), b"\x1b[33mA");
    }
}
