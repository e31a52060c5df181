//! The build's stopwatch: each stage's name and how long it took, for the
//! timings a build prints, and a call as each stage ends (the progress bar).

use crate::Timings;
use std::time::{Duration, Instant};

/// The laps so far, and when the current one started.
pub(crate) struct Clock<'a> {
    pub timings: Timings,
    start: Instant,
    pub on_lap: &'a dyn Fn(&'static str),
}

impl Clock<'_> {
    pub fn new() -> Self {
        Clock {
            timings: Vec::new(),
            start: Instant::now(),
            on_lap: &|_| {},
        }
    }

    /// A lap of which `parts` (name, time) went to steps told apart
    /// from `first`, which gets the rest.
    pub fn lap_split(&mut self, first: &'static str, parts: &[(&'static str, Duration)]) {
        let now = Instant::now();
        let mut rest = now - self.start;
        let mut split = Vec::with_capacity(parts.len());
        for &(name, part) in parts {
            let part = part.min(rest);
            rest -= part;
            split.push((name, part));
        }
        self.timings.push((first, rest));
        self.timings.extend(split);
        self.start = now;
        (self.on_lap)(first);
    }

    pub fn lap(&mut self, name: &'static str) {
        let now = Instant::now();
        self.timings.push((name, now - self.start));
        self.start = now;
        (self.on_lap)(name);
    }
}
