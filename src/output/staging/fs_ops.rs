//! Part of the staging folder: the file-system primitives it writes with,
//! folders 0755 and files 0644 (less the umask) on Unix, and comparing a
//! file's bytes with new ones without reading either whole.

use super::*;

/// Whether the file at `path`, of `len` bytes (callers check that `new`
/// has as many), holds exactly the bytes `new` reads.
pub(super) fn same_bytes(path: &Path, len: u64, new: &mut impl Read) -> bool {
    let Ok(mut old) = fs::File::open(path) else {
        return false;
    };
    // Most pages are a few kilobytes: buffers no bigger than the file.
    let size = usize::try_from(len).map_or(64 * 1024, |n| n.clamp(1, 64 * 1024));
    let mut a = vec![0u8; size];
    let mut b = vec![0u8; size];
    loop {
        let n = match old.read(&mut a) {
            Ok(n) => n,
            Err(_) => return false,
        };
        if n == 0 {
            // Both at their end: `new` must be too.
            return matches!(new.read(&mut b[..1]), Ok(0));
        }
        if new.read_exact(&mut b[..n]).is_err() || a[..n] != b[..n] {
            return false;
        }
    }
}

/// Creates a folder, 0755 less the umask.
#[cfg(unix)]
pub(super) fn create_dir(path: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    fs::DirBuilder::new().mode(0o755).create(path)
}

#[cfg(not(unix))]
pub(super) fn create_dir(path: &Path) -> std::io::Result<()> {
    fs::create_dir(path)
}

/// Creates a new file, 0644 less the umask.
pub(super) fn create_file(path: &Path) -> std::io::Result<fs::File> {
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o644);
    options.open(path)
}

/// Whether the umask takes bits off a 0755 folder (and so perhaps off a
/// 0644 file): tried on a probe folder inside the staging folder. When in
/// doubt, yes.
#[cfg(unix)]
pub(super) fn umask_masks(staging: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    let probe = staging.join(".umask");
    let mode = create_dir(&probe).and_then(|()| fs::metadata(&probe));
    let _ = fs::remove_dir(&probe);
    !matches!(mode, Ok(m) if m.permissions().mode() & 0o777 == 0o755)
}

#[cfg(not(unix))]
pub(super) fn umask_masks(_staging: &Path) -> bool {
    false
}

#[cfg(unix)]
pub(super) fn set_mode(path: &Path, mode: u32) -> Result<(), OutputError> {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(mode))
        .map_err(|e| OutputError::io("output.act.set_mode", path, e))
}

#[cfg(not(unix))]
pub(super) fn set_mode(_path: &Path, _mode: u32) -> Result<(), OutputError> {
    Ok(())
}

/// A persisted temporary file would be private; a web server must read it.
#[cfg(unix)]
pub(super) fn set_file_mode(file: &fs::File, path: &Path) -> Result<(), OutputError> {
    use std::os::unix::fs::PermissionsExt;
    file.set_permissions(fs::Permissions::from_mode(0o644))
        .map_err(|e| OutputError::io("output.act.set_mode", path, e))
}

#[cfg(not(unix))]
pub(super) fn set_file_mode(_file: &fs::File, _path: &Path) -> Result<(), OutputError> {
    Ok(())
}
