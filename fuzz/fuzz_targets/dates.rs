//! Any text as a date, a deadline or a period: never a panic, and what
//! parses formats back to something that parses to the same day.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tiendo::fuzzing::dates;

fuzz_target!(|data: &[u8]| {
    dates(data);
});
