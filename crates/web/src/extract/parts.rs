//! The parts of a `multipart/form-data` upload: its text fields and the file of field `file`
//! (when one was chosen). Used by the API's uploads and by the pages' forms that carry a file.

use crate::error::WebError;
use axum::extract::Multipart;
use axum::extract::multipart::MultipartError;
use axum::http::StatusCode;
use std::collections::HashMap;

#[derive(Default)]
pub struct Parts {
    pub fields: HashMap<String, String>,
    /// (file name as sent, bytes); `None` when no file or an empty one was sent.
    pub file: Option<(String, Vec<u8>)>,
}

impl Parts {
    pub async fn read(mut multipart: Multipart) -> Result<Parts, WebError> {
        let mut parts = Parts::default();
        while let Some(field) = multipart.next_field().await.map_err(multipart_error)? {
            let name = field.name().unwrap_or("").to_string();
            if name == "file" {
                let filename = field.file_name().unwrap_or("").to_string();
                if let Some(c) = bangdu_domain::text::first_unstorable(&filename) {
                    return Err(WebError::invalid("file", format!("文件名{}", bangdu_domain::text::refusal(c))));
                }
                let bytes = field.bytes().await.map_err(multipart_error)?;
                if !bytes.is_empty() {
                    parts.file = Some((filename, bytes.to_vec()));
                }
            } else {
                let text = field.text().await.map_err(multipart_error)?;
                super::text::check_fields([(name.as_str(), text.as_str())])?;
                parts.fields.insert(name, text);
            }
        }
        Ok(parts)
    }

    /// A field's trimmed text; `None` when absent or blank.
    pub fn text(&self, key: &str) -> Option<String> {
        self.fields.get(key).map(|v| v.trim().to_string()).filter(|v| !v.is_empty())
    }
}

pub fn multipart_error(e: MultipartError) -> WebError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        WebError::new(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large", "文件过大")
    } else {
        WebError::bad_request("invalid_multipart", "上传内容无效")
    }
}
