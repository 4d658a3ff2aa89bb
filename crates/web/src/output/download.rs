//! The `Content-Disposition` of a file the server hands out: an ASCII name for old clients and the
//! real (often Chinese) name percent-encoded as RFC 6266 / 5987 `filename*`; and the response for
//! an uploaded file read back from the file store (item attachments, project files).

use crate::error::{WebError, WebResult};
use crate::state::AppState;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;

/// An uploaded file, always as a download (an upload is never shown inline: it cannot become a
/// page of this site), never cached by the browser.
pub async fn stored_file(
    state: &AppState,
    sha256: String,
    content_type: String,
    filename: &str,
) -> WebResult<impl IntoResponse + use<>> {
    let files = state.files.clone();
    let bytes = tokio::task::spawn_blocking(move || files.get(&sha256))
        .await
        .map_err(|_| WebError::internal())?
        .map_err(|_| WebError::new(StatusCode::NOT_FOUND, "file_missing", "附件文件已丢失，请联系管理员"))?;
    Ok((
        [
            (header::CONTENT_TYPE, content_type),
            (header::CONTENT_DISPOSITION, content_disposition(false, "attachment", filename)),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        bytes,
    ))
}

/// `attachment` (save) or `inline` (show in the browser), with both names.
pub fn content_disposition(inline: bool, ascii_name: &str, name: &str) -> String {
    let encoded: String = form_urlencoded::byte_serialize(name.as_bytes()).collect::<String>().replace('+', "%20");
    let kind = if inline { "inline" } else { "attachment" };
    format!("{kind}; filename=\"{ascii_name}\"; filename*=UTF-8''{encoded}")
}

/// A CSV download that Excel and WPS open as UTF-8 (hence the byte-order mark).
pub fn csv_download(filename: &str, csv: String) -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{filename}\"")),
        ],
        format!("\u{feff}{csv}"),
    )
}

#[cfg(test)]
mod tests {
    use super::content_disposition;

    #[test]
    fn the_real_name_is_percent_encoded_beside_the_ascii_one() {
        assert_eq!(
            content_disposition(false, "a.xlsx", "督办 清单.xlsx"),
            "attachment; filename=\"a.xlsx\"; filename*=UTF-8''%E7%9D%A3%E5%8A%9E%20%E6%B8%85%E5%8D%95.xlsx"
        );
        assert!(content_disposition(true, "b.pdf", "b.pdf").starts_with("inline; "));
    }
}
