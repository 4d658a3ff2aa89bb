//! Inspections (帮督行动): the personnel pool, campaigns and their rounds, the targets each round
//! visits and the teams that visit them.

use bangdu_domain::{BriefId, CampaignId, FileId, FindingId, ItemId, MemberId, ProjectId, RoundId, TargetId};
use chrono::{DateTime, NaiveDate, Utc};

tables! {
    INSPECTIONS;

    /// 人员库: people who may be sent on a team, kept by an office (`owner_unit_id`). A member is an
    /// account (`user_id`) or an external expert. Load is never stored: it is counted from the seats.
    "pool_members" => PoolMembers, MemberRecord { key: id, serial: true, backup: true } {
        id: MemberId,
        owner_unit_id: i64,
        user_id: Option<i64>,
        name: String,
        /// The home unit when it is one of ours (for the responsible-unit constraint).
        unit_id: Option<i64>,
        /// 工作单位 as the office wrote it (an outside expert's unit is only a name).
        unit_name: String,
        region: String,
        /// The member's domains, separated by 、 in the order typed.
        domains: String,
        can_lead: bool,
        /// A member of the supervision office (the second "1" of 1+1+N).
        office: bool,
        /// Personal data: shown only to the office that keeps the pool, never logged.
        #[serde(skip)]
        phone: Option<String>,
        active: bool,
        note: Option<String>,
        version: i64,
        created_by: Option<i64>,
        created_at: DateTime<Utc>,
        updated_at: DateTime<Utc>,
    }

    /// Declared conflicts of interest: with a unit (and so its subtree) or with a person by name.
    "pool_conflicts" => PoolConflicts, ConflictRecord { key: none, serial: false, backup: true } {
        member_id: MemberId,
        unit_id: Option<i64>,
        person: Option<String>,
        reason: Option<String>,
        declared_at: DateTime<Utc>,
    }

    /// Days a member cannot serve (leave, training, other duties), as closed ranges.
    "pool_absences" => PoolAbsences, AbsenceRecord { key: none, serial: false, backup: true } {
        member_id: MemberId,
        starts_on: NaiveDate,
        ends_on: NaiveDate,
        reason: Option<String>,
    }

    /// 专项行动: led by an office (`lead_unit_id`), whose jurisdiction decides who sees it.
    "campaigns" => Campaigns, CampaignRecord { key: id, serial: true, backup: true } {
        id: CampaignId,
        name: String,
        theme: Option<String>,
        lead_unit_id: i64,
        starts_on: NaiveDate,
        ends_on: NaiveDate,
        version: i64,
        created_by: Option<i64>,
        created_at: DateTime<Utc>,
        updated_at: DateTime<Utc>,
    }

    /// A round (批次) of a campaign. The draw's inputs are kept so anyone can re-run it: `seed`,
    /// `algorithm` and `plan` (the planner's parameters as JSON); `formation` keeps how good the
    /// last team formation was (maximum load, its lower bound, sum of squares, solver).
    "rounds" => Rounds, RoundRecord { key: id, serial: true, backup: true } {
        id: RoundId,
        campaign_id: CampaignId,
        name: String,
        kind: String,
        starts_on: NaiveDate,
        ends_on: NaiveDate,
        /// N of 1+1+N: specialists per team unless a target says otherwise.
        specialists: i64,
        seed: Option<String>,
        algorithm: Option<String>,
        plan: Option<String>,
        drawn_at: Option<DateTime<Utc>>,
        drawn_by: Option<i64>,
        formation: Option<String>,
        formed_at: Option<DateTime<Utc>>,
        version: i64,
        created_by: Option<i64>,
        created_at: DateTime<Utc>,
        updated_at: DateTime<Utc>,
    }

    /// What a round visits. `unit_id` is the unit answerable for it (the project's lead unit, the
    /// item's responsible unit, or the unit itself); `name` and `region` are as they stood when it
    /// was added. A dropped target keeps its row with the reason.
    "round_targets" => RoundTargets, TargetRecord { key: id, serial: true, backup: true } {
        id: TargetId,
        round_id: RoundId,
        kind: String,
        project_id: Option<ProjectId>,
        item_id: Option<ItemId>,
        unit_id: i64,
        name: String,
        region: String,
        basis: String,
        /// The target's place in the draw (its SHA-256 rank), for a drawn target.
        rank: Option<String>,
        /// Domains the team must cover, separated by 、.
        domains: String,
        specialists: i64,
        visit_on: NaiveDate,
        reason: Option<String>,
        added_by: Option<i64>,
        created_at: DateTime<Utc>,
        dropped_reason: Option<String>,
        dropped_by: Option<i64>,
        dropped_at: Option<DateTime<Utc>>,
        /// The last formation's explanation for this target (JSON), answered as stored.
        explanation: Option<String>,
    }

    /// Who sits on the team for a target, in which role. `overrides` lists the refusal codes an
    /// office overrode by hand, with `override_reason`.
    "team_seats" => TeamSeats, SeatRecord { key: none, serial: false, backup: true } {
        target_id: TargetId,
        member_id: MemberId,
        role: String,
        matched: String,
        load_before: i64,
        load_after: i64,
        overrides: Option<String>,
        override_reason: Option<String>,
        assigned_by: Option<i64>,
        assigned_at: DateTime<Utc>,
    }

    /// 帮督发现: what a team found at a target, from a phone. `client_key` is the phone's own id for
    /// the finding, so one sent twice (a weak connection, a retry) is stored once. The finding is
    /// solved on the spot (当场协调解决, with what was done) or becomes an item through the normal
    /// lifecycle (`item_id`), or waits for the office's decision.
    "findings" => Findings, FindingRecord { key: id, serial: true, backup: true } {
        id: FindingId,
        round_id: RoundId,
        target_id: TargetId,
        client_key: String,
        description: String,
        domain: Option<String>,
        outcome: String,
        solved_note: Option<String>,
        item_id: Option<ItemId>,
        /// WGS84 in millionths of a degree, from the phone.
        lat_e6: Option<i64>,
        lon_e6: Option<i64>,
        reported_by: Option<i64>,
        reported_at: DateTime<Utc>,
        decided_by: Option<i64>,
        decided_at: Option<DateTime<Utc>>,
    }

    /// Photos of a finding, stored by their SHA-256 like every file.
    "finding_photos" => FindingPhotos, FindingPhotoRow { key: id, serial: true, backup: true } {
        id: FileId,
        finding_id: FindingId,
        filename: String,
        content_type: String,
        size_bytes: i64,
        sha256: String,
        uploaded_at: DateTime<Utc>,
    }

    /// 帮督报告 of a whole round (`target_id` empty) or of one team: the office's suggestions
    /// (工作建议) while it is a draft; once issued, `snapshot` freezes what it says (JSON).
    "inspection_reports" => InspectionReports, BriefRecord { key: id, serial: true, backup: true } {
        id: BriefId,
        round_id: RoundId,
        target_id: Option<TargetId>,
        suggestions: String,
        issued_at: Option<DateTime<Utc>>,
        issued_by: Option<i64>,
        snapshot: Option<String>,
        version: i64,
        updated_at: DateTime<Utc>,
    }
}
