//! Stored files, for every table that keeps uploads (item attachments, project files): the file
//! store they live in (under their SHA-256, outside any served path), and the checks an upload
//! passes before it is kept — not empty, within the size setting, a type read from the bytes
//! (never from the name), a name safe to send back.

use crate::db::Conn;
use crate::error::{Result, StoreError};
use crate::settings;
use sha2::{Digest, Sha256};
use std::path::PathBuf;

/// Where attachment files live. Local disk by default; an object store can implement this.
pub trait FileStore: Send + Sync + std::fmt::Debug {
    fn put(&self, key: &str, bytes: &[u8]) -> std::io::Result<()>;
    fn get(&self, key: &str) -> std::io::Result<Vec<u8>>;
}

/// Files under a directory, spread over sub-directories by the first characters of the key.
#[derive(Clone, Debug)]
pub struct LocalFiles {
    root: PathBuf,
}

impl LocalFiles {
    pub fn new(root: impl Into<PathBuf>) -> LocalFiles {
        LocalFiles { root: root.into() }
    }

    fn path(&self, key: &str) -> std::io::Result<PathBuf> {
        if key.len() < 8 || !key.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(std::io::Error::new(std::io::ErrorKind::InvalidInput, "bad attachment key"));
        }
        Ok(self.root.join(&key[..2]).join(&key[2..4]).join(key))
    }
}

/// The content types accepted, decided from the bytes: documents, images, text.
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    if let Some(kind) = infer::get(bytes) {
        return match kind.mime_type() {
            mime @ ("application/pdf"
            | "image/png"
            | "image/jpeg"
            | "image/gif"
            | "image/webp"
            | "image/bmp"
            | "image/tiff"
            | "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            | "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            | "application/vnd.openxmlformats-officedocument.presentationml.presentation"
            | "application/msword"
            | "application/vnd.ms-excel"
            | "application/vnd.ms-powerpoint"
            | "application/x-ole-storage"
            | "application/zip"
            | "application/vnd.rar"
            | "application/x-7z-compressed"
            | "audio/mpeg"
            | "video/mp4") => Some(mime),
            _ => None,
        };
    }
    // Plain text without NUL — UTF-8 (a BOM allowed) or GBK/GB18030, as Windows Notepad and WPS in
    // China still save it: notes, CSV. Anything that looks like markup is refused, so a download can
    // never become a page. (Read whole characters: a byte cut would split a Chinese one.)
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text: std::borrow::Cow<'_, str> = match std::str::from_utf8(bytes) {
        Ok(text) => text.into(),
        Err(_) => {
            let (text, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
            if had_errors {
                return None;
            }
            text
        }
    };
    if text.contains('\0') || text.trim_start().starts_with('<') {
        return None;
    }
    Some("text/plain")
}

/// A name safe to store and to send back in `Content-Disposition`.
fn clean_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = base.chars().filter(|c| !c.is_control() && !matches!(c, '"' | '\\')).take(120).collect();
    if cleaned.trim().is_empty() { "附件".into() } else { cleaned.trim().to_string() }
}

/// A checked, stored upload: its cleaned name, the type read from its bytes, its key and size.
pub(crate) struct Upload {
    pub name: String,
    pub content_type: &'static str,
    pub sha256: String,
    pub size: i64,
}

/// Checks an upload (not empty, within the size setting, a type read from the bytes) and puts it
/// in the file store under its SHA-256. Shared by item attachments and project files.
pub(crate) async fn store_upload(
    c: &mut Conn<'_>,
    files: &dyn FileStore,
    filename: &str,
    bytes: &[u8],
) -> Result<Upload> {
    let max = settings::get_i64(c, settings::ATTACHMENT_MAX_MB).await? * 1024 * 1024;
    if bytes.is_empty() {
        return Err(StoreError::invalid("file", "文件是空的"));
    }
    if bytes.len() as i64 > max {
        return Err(StoreError::conflict("payload_too_large", format!("附件不能超过 {} MB", max / 1024 / 1024)));
    }
    let content_type = sniff(bytes).ok_or_else(|| {
        StoreError::conflict(
            "unsupported_media_type",
            "不支持的文件类型：请上传 PDF、图片、Office 文档、压缩包或纯文本",
        )
    })?;
    let sha256 = hex::encode(Sha256::digest(bytes));
    files.put(&sha256, bytes).map_err(|e| StoreError::Internal(format!("cannot store the attachment: {e}")))?;
    Ok(Upload { name: clean_name(filename), content_type, sha256, size: bytes.len() as i64 })
}

impl FileStore for LocalFiles {
    fn put(&self, key: &str, bytes: &[u8]) -> std::io::Result<()> {
        let path = self.path(key)?;
        if path.exists() {
            return Ok(());
        }
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        // Write beside, then rename: a reader never sees half a file.
        let partial = path.with_extension("partial");
        std::fs::write(&partial, bytes)?;
        std::fs::rename(partial, path)
    }

    fn get(&self, key: &str) -> std::io::Result<Vec<u8>> {
        std::fs::read(self.path(key)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_come_from_the_bytes() {
        assert_eq!(sniff(b"%PDF-1.7\n..."), Some("application/pdf"));
        assert_eq!(sniff(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0]), Some("image/png"));
        assert_eq!(sniff("整改情况说明：已完成。".as_bytes()), Some("text/plain"));
        assert_eq!(sniff(b"<html><script>alert(1)</script>"), None, "markup is refused whatever its name");
        assert_eq!(sniff(b"  <svg onload=x>"), None);
        assert_eq!(sniff(b"MZ\x90\x00\x03\x00\x00\x00"), None, "executables are refused");
        assert_eq!(sniff(&[0xff, 0xfe, 0x00, 0x01]), None);
    }

    /// A Chinese note longer than 64 bytes, whose 64th byte falls inside a character (21 three-byte
    /// characters are 63 bytes), is text; so is the same note saved as GBK, or with a BOM.
    #[test]
    fn chinese_text_of_any_length_and_encoding_is_text() {
        let note = "整改情况说明：经现场核实，加压泵站已接入专线电源，一千二百户恢复正常供水。".repeat(3);
        assert!(note.len() > 64 && !note.is_char_boundary(64));
        assert_eq!(sniff(note.as_bytes()), Some("text/plain"));
        let (gbk, _, _) = encoding_rs::GBK.encode(&note);
        assert!(std::str::from_utf8(&gbk).is_err());
        assert_eq!(sniff(&gbk), Some("text/plain"));
        assert_eq!(sniff(&[b"\xEF\xBB\xBF".as_slice(), note.as_bytes()].concat()), Some("text/plain"));
        assert_eq!(sniff("\u{feff}<script>".as_bytes()), None, "markup behind a BOM is still markup");
    }

    #[test]
    fn names_are_cleaned() {
        assert_eq!(clean_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_name("C:\\照片\\现场.jpg"), "现场.jpg");
        assert_eq!(clean_name("a\"b\nc.pdf"), "abc.pdf");
        assert_eq!(clean_name("   "), "附件");
    }

    #[test]
    fn local_files_round_trip_and_refuse_bad_keys() {
        let dir = tempfile::tempdir().unwrap();
        let files = LocalFiles::new(dir.path());
        let key = hex::encode(Sha256::digest(b"hello"));
        files.put(&key, b"hello").unwrap();
        assert_eq!(files.get(&key).unwrap(), b"hello");
        assert!(files.get("../../etc/passwd").is_err());
    }
}

/// A file store for callers that store no files (the demo's findings carry no photos): any attempt
/// to store or read one is an error, never a silent loss.
#[derive(Debug)]
pub struct NoFiles;

impl FileStore for NoFiles {
    fn put(&self, _key: &str, _bytes: &[u8]) -> std::io::Result<()> {
        Err(std::io::Error::other("no file store here"))
    }

    fn get(&self, _key: &str) -> std::io::Result<Vec<u8>> {
        Err(std::io::Error::other("no file store here"))
    }
}
