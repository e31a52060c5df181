//! Any bytes as a plan, a report and agencies: parsing, validation and the
//! status engine must never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tiendo::fuzzing::content_pipeline;

fuzz_target!(|data: &[u8]| {
    content_pipeline(data);
});
