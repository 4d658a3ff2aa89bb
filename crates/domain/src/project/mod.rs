//! Projects (为民办实事 / 民生微实事 / 重点项目): what a government promised, with a schedule whose
//! light (亮灯) is computed from the plan and the reports, never typed in. See DESIGN.md §3.

mod figures;
mod light;
pub mod money;
pub mod plan;
mod progress;
mod reporting;
mod status;

pub use figures::{FigureGroup, FigureInput, Figures, figures, figures_of_groups, yuan_text};
pub use light::{Light, LightInput, LightSettings, Lit, light};
pub use progress::{Milestone, Percent, planned_progress};
pub use reporting::{Period, missing_report, report_due};
pub use status::{Level, Moderation, ReportVerdict, Status};
