//! The real binary in a pseudo-terminal of our own: every byte it writes is kept (to check
//! escape sequences) and fed to a terminal emulator (to check what each cell shows), and the
//! terminal can hang up (close the master) as a dropped SSH line does.
//!
//! Waits poll for what the screen shows; their deadlines only stop a hung run.

#![allow(dead_code)]

use std::io::{Read, Write};
use std::os::fd::{AsFd, OwnedFd};
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use rustix::event::{poll, PollFd, PollFlags, Timespec};
use rustix::pty::{grantpt, openpt, ptsname, unlockpt, OpenptFlags};
use rustix::termios::{tcsetwinsize, Winsize};

pub const BIN: &str = env!("CARGO_BIN_EXE_modq");
pub const ROWS: u16 = 24;
pub const COLS: u16 = 80;
const DEADLINE: Duration = Duration::from_secs(90);

pub struct Pty {
    /// None once the terminal hung up.
    master: Option<std::fs::File>,
    pub child: Child,
    /// Everything the program wrote, as written.
    pub output: Vec<u8>,
    pub parser: vt100::Parser,
}

impl Pty {
    /// Starts `modq ARGS` as the session leader of a new 80×24 terminal.
    pub fn spawn(args: &[&str]) -> Self {
        let master =
            openpt(OpenptFlags::RDWR | OpenptFlags::NOCTTY | OpenptFlags::CLOEXEC).expect("openpt");
        grantpt(&master).unwrap();
        unlockpt(&master).unwrap();
        let name = ptsname(&master, Vec::new()).unwrap();
        tcsetwinsize(
            &master,
            Winsize {
                ws_row: ROWS,
                ws_col: COLS,
                ws_xpixel: 0,
                ws_ypixel: 0,
            },
        )
        .unwrap();
        let slave: OwnedFd = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open(name.to_str().unwrap())
            .unwrap()
            .into();
        let mut cmd = Command::new(BIN);
        cmd.args(args)
            .env("TERM", "xterm-256color")
            .env_remove("NO_COLOR")
            .env_remove("MODQ_LOG")
            .stdin(Stdio::from(slave.try_clone().unwrap()))
            .stdout(Stdio::from(slave.try_clone().unwrap()))
            .stderr(Stdio::from(slave));
        // A session of its own with the pty as its controlling terminal, as a login shell
        // has: closing the master then hangs up the program's terminal.
        unsafe {
            cmd.pre_exec(|| {
                rustix::process::setsid()?;
                rustix::process::ioctl_tiocsctty(std::io::stdin())?;
                Ok(())
            });
        }
        let child = cmd.spawn().expect("start modq");
        drop(cmd);
        Self {
            master: Some(std::fs::File::from(master)),
            child,
            output: Vec::new(),
            parser: vt100::Parser::new(ROWS.try_into().unwrap(), COLS.try_into().unwrap(), 0),
        }
    }

    /// Reads what the program wrote, waiting at most `wait` for the first bytes.
    /// Returns false when the terminal is closed for good (the program and its copies of
    /// the slave are gone).
    pub fn pump(&mut self, wait: Duration) -> bool {
        let Some(master) = self.master.as_mut() else {
            return false;
        };
        let mut timeout = Timespec {
            tv_sec: wait.as_secs() as _,
            tv_nsec: wait.subsec_nanos() as _,
        };
        let mut open = true;
        loop {
            let ready = {
                let fd = master.as_fd();
                let mut fds = [PollFd::new(&fd, PollFlags::IN)];
                poll(&mut fds, Some(&timeout))
            };
            match ready {
                Ok(0) => break,
                Ok(_) => {}
                Err(rustix::io::Errno::INTR) => continue,
                Err(e) => panic!("poll: {e}"),
            }
            let mut buf = [0u8; 65536];
            match master.read(&mut buf) {
                Ok(0) => {
                    open = false;
                    break;
                }
                Ok(n) => {
                    self.output.extend_from_slice(&buf[..n]);
                    self.parser.process(&buf[..n]);
                }
                // EIO: no slave is open any more.
                Err(_) => {
                    open = false;
                    break;
                }
            }
            // More may follow at once; do not wait long for it.
            timeout = Timespec {
                tv_sec: 0,
                tv_nsec: 20_000_000,
            };
        }
        open
    }

    pub fn screen(&self) -> String {
        self.parser.screen().contents()
    }

    /// Polls the screen until it shows `needle`.
    pub fn wait_for(&mut self, needle: &str) -> String {
        let start = Instant::now();
        loop {
            self.pump(Duration::from_millis(100));
            let s = self.screen();
            if s.contains(needle) {
                return s;
            }
            assert!(
                start.elapsed() < DEADLINE,
                "waited for {needle:?}; screen:\n{s}"
            );
        }
    }

    /// Types: bytes as a terminal sends them for keys.
    pub fn send(&mut self, bytes: &[u8]) {
        let master = self.master.as_mut().expect("the terminal is open");
        master.write_all(bytes).unwrap();
        master.flush().unwrap();
    }

    /// Sends keys one at a time, letting the program read each (ESC followed at once by a
    /// key reads as Alt-key).
    pub fn keys(&mut self, keys: &[&[u8]]) {
        for k in keys {
            self.send(k);
            self.pump(Duration::from_millis(150));
        }
    }

    /// Closes the terminal, as sshd does when the line drops.
    pub fn hang_up(&mut self) {
        self.master = None;
    }

    pub fn signal(&self, sig: &str) {
        let ok = Command::new("kill")
            .args([&format!("-{sig}"), &self.child.id().to_string()])
            .status()
            .unwrap()
            .success();
        assert!(ok, "kill -{sig} failed");
    }

    /// Waits for the program to end by itself, reading what it writes meanwhile.
    pub fn wait_exit(&mut self) -> ExitStatus {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                // What it wrote last.
                while self.pump(Duration::from_millis(50)) {}
                return status;
            }
            if !self.pump(Duration::from_millis(50)) {
                std::thread::sleep(Duration::from_millis(50));
            }
            if start.elapsed() > DEADLINE {
                let _ = self.child.kill();
                panic!("modq did not exit by itself; screen:\n{}", self.screen());
            }
        }
    }

    /// The terminal's line settings as the program left them.
    pub fn canonical(&self) -> bool {
        let master = self.master.as_ref().expect("the terminal is open");
        let t = rustix::termios::tcgetattr(master).unwrap();
        t.local_modes.contains(rustix::termios::LocalModes::ICANON)
            && t.local_modes.contains(rustix::termios::LocalModes::ECHO)
    }
}

impl Drop for Pty {
    fn drop(&mut self) {
        if self.child.try_wait().ok().flatten().is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Every escape sequence in `bytes`, whole (ESC … final byte; OSC/DCS/APC/PM/SOS up to their
/// terminator), in order; also the 8-bit C1 introducers, which a terminal may act on.
pub fn escapes(bytes: &[u8]) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != 0x1b {
            i += 1;
            continue;
        }
        let start = i;
        i += 1;
        match bytes.get(i) {
            Some(b'[') => {
                i += 1;
                while i < bytes.len() && !(0x40..=0x7e).contains(&bytes[i]) {
                    i += 1;
                }
                i += 1;
            }
            Some(b']' | b'P' | b'X' | b'^' | b'_') => {
                // String sequences end at BEL or ST (ESC \).
                while i < bytes.len() && bytes[i] != 0x07 && bytes[i] != 0x1b {
                    i += 1;
                }
                i += if bytes.get(i) == Some(&0x1b) { 2 } else { 1 };
            }
            Some(_) => {
                // Intermediates, then the final byte.
                while i < bytes.len() && (0x20..=0x2f).contains(&bytes[i]) {
                    i += 1;
                }
                i += 1;
            }
            None => {}
        }
        out.push(bytes[start..i.min(bytes.len())].to_vec());
    }
    out
}
