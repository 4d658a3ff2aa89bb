//! 转入督导: a project that has fallen behind (yellow or red) becomes a supervision item with one
//! action — source 项目滞后, the lead unit responsible, the light's reason as the problem — linked
//! both ways so the project page lists its items and the item page leads back.

use super::{can_manage, query};
use crate::actor::Actor;
use crate::db::Conn;
use crate::error::{Result, StoreError};
use crate::items::ItemRow;
use crate::items::create::{NewItem, create};
use crate::items::query::{ItemFilter, ItemSort};
use crate::paging::PageRequest;
use bangdu_domain::ProjectId;
use bangdu_domain::UnitId;
use bangdu_domain::item::{Priority, Source};
use bangdu_domain::permission::Permission;
use bangdu_domain::project::Light;
use bangdu_domain::scope::Scope;

/// The items raised from a project that the actor may see, newest first (at most 100).
pub async fn items_of(c: &mut Conn<'_>, actor: &Actor, project: ProjectId) -> Result<Vec<ItemRow>> {
    raised_from(c, &crate::items::view_scope(actor), project).await
}

async fn raised_from(c: &mut Conn<'_>, scope: &Scope, project: ProjectId) -> Result<Vec<ItemRow>> {
    let filter = ItemFilter { project: Some(project), ..ItemFilter::default() };
    let page = PageRequest { page: 1, per_page: 100 };
    Ok(crate::items::query::list_in(c, scope, &filter, ItemSort::Newest, page).await?.data)
}

/// Raises an item from a yellow or red project. Refused while an earlier one is still open, so a
/// double click does not make two.
pub async fn raise_item(c: &mut Conn<'_>, actor: &Actor, project_id: ProjectId) -> Result<ItemRow> {
    let project = query::get(c, actor, project_id).await?;
    let units = query::links_of(c, project_id).await?;
    if !actor.can(Permission::CreateItems) || !can_manage(actor, &project, &query::unit_paths(&units)) {
        return Err(StoreError::Forbidden);
    }
    let light = project.light();
    if !matches!(light, Light::Yellow | Light::Red) {
        return Err(StoreError::conflict("project_on_track", "只有黄灯、红灯项目可以转为督导事项"));
    }
    // Every item of the project counts, whoever can see it.
    let open = raised_from(c, &Scope::everything(), project_id).await?.into_iter().find(|i| i.state().is_open());
    if let Some(item) = open {
        return Err(StoreError::conflict(
            "project_item_open",
            format!("该项目已有未销号的督导事项 {}，请在原事项中继续督办", item.code),
        ));
    }
    let title: String = format!("项目滞后：{}", project.name).chars().take(200).collect();
    let description = format!(
        "{}（牵头单位：{}）当前为{}：{}。计划进度 {}，实际进度 {}。",
        project.name,
        project.lead_name,
        light.label(),
        project.light_reason,
        percent_text(project.planned_progress),
        percent_text(project.actual_progress),
    );
    let new = NewItem {
        title,
        description: Some(description),
        source: Some(Source::Project),
        related_projects: Some(project.name.chars().take(500).collect()),
        priority: Some(if light == Light::Red { Priority::Urgent } else { Priority::Normal }),
        responsible_unit: Some(UnitId(project.lead_unit_id).into()),
        project: Some(project_id),
        ..NewItem::default()
    };
    let item = create(c, actor, new).await?;
    Ok(item)
}

fn percent_text(hundredths: i64) -> String {
    let p = bangdu_domain::project::Percent(hundredths);
    format!("{p}%")
}
