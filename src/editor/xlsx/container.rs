//! Part of the report workbook: the zip container checked before anything
//! is unpacked (parts, sizes, packing ratios), so that `import` stays
//! within a few hundred megabytes whatever it is given.

use super::*;

// What a workbook may unpack to. A monthly report workbook is tens of
// kilobytes, a national agency's a few megabytes; a workbook of two
// megabytes that unpacks to gigabytes (a "zip bomb", or shared strings
// repeated a million times) is refused before anything is unpacked into
// memory, so that `import` stays within a few hundred megabytes whatever
// it is given.

/// At most this many parts (files) in the workbook's zip.
pub const MAX_PARTS: usize = 1_000;
/// At most this many bytes unpacked in one part.
pub const MAX_PART_BYTES: u64 = 32 << 20;
/// At most this many bytes unpacked in all parts together.
pub const MAX_TOTAL_BYTES: u64 = 64 << 20;
/// Parts unpacking to more than [`RATIO_FROM`] bytes may be at most this
/// many times their packed size (spreadsheet XML packs 5 to 30 times).
pub const MAX_RATIO: u64 = 200;
pub(super) const RATIO_FROM: u64 = 1 << 20;
/// At most this many cells with a value in a sheet, and none below this
/// row: the sheets are read cell by cell, never as one rectangle, so a
/// value in the sheet's last cell costs nothing, but a report has no use
/// for it.
pub const MAX_CELLS: usize = 100_000;
pub const MAX_ROWS: u32 = 10_000;

/// Megabytes, rounded up, for messages.
pub(super) fn mb(bytes: u64) -> u64 {
    bytes.div_ceil(1 << 20)
}

/// What a file that is not a zip is, as the message to its editor.
pub(super) fn not_a_zip(bytes: &[u8]) -> Message {
    const OLE: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    if bytes.starts_with(OLE) {
        return msg!("xlsx.old_or_locked");
    }
    let head = &bytes[..bytes.len().min(4096)];
    let text = match std::str::from_utf8(head) {
        Ok(t) => Some(t),
        // A cut in the middle of a character at the end of the sample.
        Err(e) if e.valid_up_to() + 4 >= head.len() => {
            std::str::from_utf8(&head[..e.valid_up_to()]).ok()
        }
        Err(_) => None,
    };
    match text {
        Some(t)
            if !t.trim_start().starts_with('<')
                && t.lines()
                    .next()
                    .is_some_and(|l| l.contains([',', ';', '\t'])) =>
        {
            msg!("xlsx.csv")
        }
        _ => msg!("xlsx.not_xlsx"),
    }
}

/// Refuses a part that unpacks past the limits.
pub(super) fn within_limits(
    part: &str,
    size: u64,
    packed: u64,
    total: u64,
) -> Result<(), CellError> {
    let ratio = size / packed.max(1);
    if size > MAX_PART_BYTES || total > MAX_TOTAL_BYTES || (size > RATIO_FROM && ratio > MAX_RATIO)
    {
        return Err(whole(msg!(
            "xlsx.inflates",
            part,
            size = mb(size),
            packed = packed.div_ceil(1024),
            limit = mb(MAX_TOTAL_BYTES)
        )));
    }
    Ok(())
}

/// Opens `bytes` as a zip and checks, before calamine reads anything,
/// that it is one and that every part unpacks within the limits: first by
/// the sizes the zip declares (a bomb is refused without unpacking a byte),
/// then by unpacking each part into nothing, counting, since a declared
/// size may lie.
pub fn check_container(bytes: &[u8]) -> Result<(), CellError> {
    use std::io::Read;
    if !bytes.starts_with(b"PK") {
        return Err(whole(not_a_zip(bytes)));
    }
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|_| whole(msg!("xlsx.not_xlsx")))?;
    if zip.len() > MAX_PARTS {
        return Err(whole(msg!(
            "xlsx.too_many_parts",
            count = zip.len(),
            max = MAX_PARTS
        )));
    }
    let unreadable =
        |e: &dyn std::fmt::Display| whole(msg!("xlsx.not_a_workbook", error = e.to_string()));
    let mut total = 0u64;
    for i in 0..zip.len() {
        let f = zip.by_index_raw(i).map_err(|e| unreadable(&e))?;
        total = total.saturating_add(f.size());
        let part = f.name().map(|n| n.into_owned()).unwrap_or_default();
        within_limits(&part, f.size(), f.compressed_size(), total)?;
    }
    // The zip reader stops a part at its declared size (an error, here):
    // counting is the guard should it ever not.
    let damaged = |part: &str, e: &dyn std::fmt::Display| {
        whole(msg!("xlsx.damaged", part, error = e.to_string()))
    };
    let mut total = 0u64;
    for i in 0..zip.len() {
        let name = zip
            .by_index_raw(i)
            .map_err(|e| unreadable(&e))?
            .name()
            .map(|n| n.into_owned())
            .unwrap_or_default();
        let mut f = zip.by_index(i).map_err(|e| damaged(&name, &e))?;
        let (part, packed) = (
            f.name().map(|n| n.into_owned()).unwrap_or_default(),
            f.compressed_size(),
        );
        let size = std::io::copy(&mut (&mut f).take(MAX_PART_BYTES + 1), &mut std::io::sink())
            .map_err(|e| damaged(&part, &e))?;
        total = total.saturating_add(size);
        within_limits(&part, size, packed, total)?;
    }
    Ok(())
}
