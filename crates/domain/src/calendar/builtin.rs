//! The holiday arrangements of the State Council's notices for 2020–2026, shipped with the binary.
//! Each file is a transcription of one notice; `scripts/crosscheck-calendar.py` compares them with
//! PyPI's independent `chinesecalendar` package.

use super::year_file::{ParseError, YearData};

const FILES: [&str; 7] = [
    include_str!("data/2020.txt"),
    include_str!("data/2021.txt"),
    include_str!("data/2022.txt"),
    include_str!("data/2023.txt"),
    include_str!("data/2024.txt"),
    include_str!("data/2025.txt"),
    include_str!("data/2026.txt"),
];

pub fn builtin_years() -> Result<Vec<YearData>, ParseError> {
    FILES.iter().map(|text| YearData::parse(text)).collect()
}
