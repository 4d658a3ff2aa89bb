//! What people send, parsed once for the JSON API and the pages alike: typed commands and filters
//! from a request's fields, whether a JSON body, a query string or a form.

use crate::error::WebResult;
use crate::extract::parse_number;
use bangdu_store::paging::PageRequest;

pub mod appeals;
pub mod audit;
pub mod fields;
pub mod inspections;
pub mod items;
pub mod project_json;
pub mod projects;
pub mod serde_helpers;
pub mod units;
pub mod users;

pub fn page_request(page: &Option<String>, per_page: &Option<String>) -> WebResult<PageRequest> {
    Ok(PageRequest::new(parse_number("page", page)?, parse_number("per_page", per_page)?))
}
