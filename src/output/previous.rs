//! Stage 5, output: this build against the path list of the previous
//! release (`build --previous FILE`, the `du-lieu/duong-dan.txt` it
//! published).
//!
//! Input: the list, opened before the build so that a wrong name fails at
//! once, and the paths this build publishes. Output: the first paths no
//! longer published, with their lines, and how many more there are. The
//! list is read a line at a time: a national portal's list has millions of
//! lines, and neither it nor the paths gone are held whole.

use super::OutputError;
use std::collections::HashSet;
use std::fs;
use std::io::{BufRead, BufReader};
use std::path::Path;

/// How many paths gone are named one by one; the rest are counted.
pub const SHOWN: usize = 20;

/// The paths of the previous release this build no longer publishes.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Gone {
    /// The first [`SHOWN`], with their line numbers.
    pub shown: Vec<(u64, String)>,
    /// How many more there are, and the line of the first of them.
    pub more: usize,
    pub more_line: u64,
}

/// Opens the previous release's path list.
pub fn open(file: &Path) -> Result<fs::File, OutputError> {
    fs::File::open(file).map_err(|e| {
        OutputError::Failed(crate::msg!(
            "editor.cannot_read",
            path = file.display(),
            error = e
        ))
    })
}

/// Reads `list` (the file `file`) a line at a time and returns the paths in
/// it that `now` lacks; blank lines and surrounding spaces are ignored.
pub fn gone(file: &Path, list: &fs::File, now: &HashSet<&str>) -> Result<Gone, OutputError> {
    let mut reader = BufReader::with_capacity(256 * 1024, list);
    let mut line = String::new();
    let mut number = 0u64;
    let mut gone = Gone::default();
    loop {
        line.clear();
        number += 1;
        let read = reader.read_line(&mut line).map_err(|e| {
            let path = format!("{}:{number}", file.display());
            OutputError::Failed(crate::msg!("editor.cannot_read", path, error = e))
        })?;
        if read == 0 {
            return Ok(gone);
        }
        let path = line.trim();
        if path.is_empty() || now.contains(path) {
            continue;
        }
        if gone.shown.len() < SHOWN {
            gone.shown.push((number, path.to_string()));
        } else {
            if gone.more == 0 {
                gone.more_line = number;
            }
            gone.more += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn names_the_first_paths_gone_and_counts_the_rest() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("duong-dan.txt");
        let mut f = fs::File::create(&file).unwrap();
        writeln!(f, "/\n\n  /kept/  ").unwrap();
        for i in 0..100 {
            writeln!(f, "/gone/{i}/").unwrap();
        }
        drop(f);
        let now: HashSet<&str> = ["/", "/kept/"].into_iter().collect();
        let gone = gone(&file, &open(&file).unwrap(), &now).unwrap();
        assert_eq!(gone.shown.len(), SHOWN);
        assert_eq!(gone.shown[0], (4, "/gone/0/".to_string()));
        assert_eq!((gone.more, gone.more_line), (100 - SHOWN, 4 + SHOWN as u64));
        assert!(open(&dir.path().join("missing.txt")).is_err());
    }
}
