//! The console in tmux, as a user runs it: keys in, the screen out. Waits poll the screen
//! with a generous bound (it only stops a hung run).
#![allow(dead_code)]

use std::process::Command;
use std::time::{Duration, Instant};

pub fn have_tmux() -> bool {
    Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success())
}

pub struct Tmux {
    socket: String,
}

impl Tmux {
    pub fn new(name: &str) -> Self {
        Self {
            socket: format!("modq-test-{name}-{}", std::process::id()),
        }
    }
    fn cmd(&self, args: &[&str]) -> std::process::Output {
        Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .output()
            .unwrap()
    }
    /// Runs `shell_cmd` in an 100×30 window that stays after it exits.
    pub fn start(&self, shell_cmd: &str) {
        let out = self.cmd(&[
            "-f",
            "/dev/null",
            "new-session",
            "-d",
            "-s",
            "t",
            "-x",
            "100",
            "-y",
            "30",
            shell_cmd,
        ]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        self.cmd(&["set-option", "-t", "t", "remain-on-exit", "on"]);
    }
    pub fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "t"];
        args.extend_from_slice(keys);
        self.cmd(&args);
    }
    pub fn text(&self, text: &str) {
        self.cmd(&["send-keys", "-t", "t", "-l", text]);
    }
    pub fn screen(&self) -> String {
        String::from_utf8_lossy(&self.cmd(&["capture-pane", "-p", "-t", "t"]).stdout).into_owned()
    }
    pub fn wait_for(&self, needle: &str) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if s.contains(needle) {
                return s;
            }
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "waited for {needle:?}; screen:\n{s}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
    /// The pid of the program in the window.
    pub fn pid(&self) -> String {
        let out = self.cmd(&["list-panes", "-t", "t", "-F", "#{pane_pid}"]);
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        self.cmd(&["kill-server"]);
    }
}
