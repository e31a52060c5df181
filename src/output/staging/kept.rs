//! Part of the staging folder: files of the previous output kept rather
//! than written, as hard links (same inode, same modification time), when
//! the manifest's digest or their bytes say they are unchanged.

use super::fs_ops::same_bytes;
use super::*;

impl Staging {
    /// Keeps the previous output's file at `rel` without its bytes in
    /// hand: when the manifest vouches that it holds bytes of `digest` (its
    /// stamp is the one recorded with that digest). `false` when it cannot
    /// tell or keep it; the caller then writes the file.
    pub fn keep_same(&self, rel: &str, digest: &Digest) -> bool {
        let Ok((dest, Some(prev))) = self.place(rel) else {
            return false;
        };
        let Some(record) = self.records.get(rel) else {
            return false;
        };
        let Ok(meta) = fs::symlink_metadata(&prev) else {
            return false;
        };
        if !meta.is_file() || Stamp::of(&meta) != Some(record.stamp) || record.digest != *digest {
            return false;
        }
        self.keep(rel, &prev, &meta, &dest, Some(*digest)).is_ok()
    }

    /// The previous output's file at `rel`, read back (`None` when there is
    /// no previous output or no such file).
    pub fn read_previous(&self, rel: &str) -> Option<Vec<u8>> {
        let rel = safe_relative(rel)?;
        let path = self.previous.as_ref()?.join(rel);
        fs::symlink_metadata(&path).ok().filter(|m| m.is_file())?;
        fs::read(path).ok()
    }

    /// The previous output's file at `prev` when it holds exactly `bytes`:
    /// told by its digest when its stamp is the one recorded, else by
    /// reading it.
    pub(super) fn unchanged(
        &self,
        prev: &Path,
        rel: &str,
        bytes: &[u8],
        digest: &Digest,
    ) -> Option<fs::Metadata> {
        let meta = fs::symlink_metadata(prev).ok()?;
        if !meta.is_file() || meta.len() != bytes.len() as u64 {
            return None;
        }
        if let Some(record) = self.records.get(rel)
            && Stamp::of(&meta) == Some(record.stamp)
        {
            return (record.digest == *digest).then_some(meta);
        }
        same_bytes(prev, meta.len(), &mut &bytes[..]).then_some(meta)
    }

    /// Keeps the previous output's file: a hard link (same inode, same
    /// modification time), or a copy with its modification time where the
    /// file system has no hard links. A spare's link to the same file is
    /// already right and stays.
    pub(super) fn keep(
        &self,
        rel: &str,
        prev: &Path,
        meta: &fs::Metadata,
        dest: &Path,
        digest: Option<Digest>,
    ) -> Result<(), OutputError> {
        self.keep_keyed(rel, prev, meta, dest, digest, None)
    }

    /// [`Staging::keep`], recording the key of what the file was made from.
    pub(super) fn keep_keyed(
        &self,
        rel: &str,
        prev: &Path,
        meta: &fs::Metadata,
        dest: &Path,
        digest: Option<Digest>,
        key: Option<Digest>,
    ) -> Result<(), OutputError> {
        let mut stamp = Stamp::of(meta);
        let linked = self.reused
            && fs::symlink_metadata(dest).is_ok_and(|m| stamp.is_some() && Stamp::of(&m) == stamp);
        if !linked {
            self.clear(dest)?;
            if fs::hard_link(prev, dest).is_err() {
                fs::copy(prev, dest).map_err(|e| OutputError::io("output.act.copy", prev, e))?;
                let modified = meta
                    .modified()
                    .map_err(|e| OutputError::io("output.act.read", prev, e))?;
                let file = fs::File::options()
                    .write(true)
                    .open(dest)
                    .map_err(|e| OutputError::io("output.act.write", dest, e))?;
                file.set_modified(modified)
                    .map_err(|e| OutputError::io("output.act.set_time", dest, e))?;
                set_file_mode(&file, dest)?;
                stamp = file.metadata().ok().as_ref().and_then(Stamp::of);
            }
        }
        self.made_keyed(rel, stamp, digest, key);
        self.unchanged.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }
}
