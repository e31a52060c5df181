//! Any bytes as a news article: the front-matter splitter, the YAML inside
//! it and the Markdown renderer must never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tiendo::fuzzing::article_pipeline;

fuzz_target!(|data: &[u8]| {
    article_pipeline(data);
});
