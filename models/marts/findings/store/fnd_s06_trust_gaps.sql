-- S06 信任短板 trust gaps (docs/findings_catalogue.md, stage S).
-- A snapshot rule over 店铺信息快照 (fct_store_snapshot): one finding per account × snapshot date (period_grain
-- 'snapshot', period_start = period_end = snapshot date) when at least one gap holds:
--   membership   会员类型 level < min_membership_level (1 金牌供应商 < 2 实力商家 < 3 金品诚企; the default 2 means
--                "below 实力商家"); an unrecognised membership (NULL level) is not a gap;
--   enterprise   企业在线 Enterprise Online is off (N);
--   reviews      评价数 < min_reviews;
--   rating       评价星级 < min_rating.
-- metric trust_gaps; value = the number of gaps (0–4); threshold = 0 (any gap fires); benchmark = NULL.
-- The gaps are named in the action texts and evidence_detail.
-- impact_estimate (inquiries per week) = the store's mean weekly inquiries over its funnel weeks (fct_funnel_weekly)
--   ending in the 4 weeks up to the snapshot date × the number of gaps × inquiry_uplift_per_gap (the seed's assumed
--   relative lift of inquiries per trust gap closed, default 0.05: the exports hold no before/after or peer figure
--   for trust signals, so the lift is a stated assumption the user can edit). 0 when the store has no funnel week
--   with inquiries in that window (fct_findings.impact_note_* says why).
-- severity: 3 or 4 gaps → high; 2 → medium; 1 → low.

with params as (
    {{ gscor_rule_params('S06', ['min_reviews', 'min_rating', 'min_membership_level', 'inquiry_uplift_per_gap']) }}
),

snapshots as (
    select
        store.account_id,
        store.snapshot_date,
        store.membership_type,
        store.membership_level,
        store.enterprise_online,
        store.review_count,
        store.review_rating,
        params.min_reviews,
        params.min_rating,
        params.min_membership_level,
        params.inquiry_uplift_per_gap,
        coalesce(store.membership_level < params.min_membership_level, false) as has_membership_gap,
        coalesce(not store.enterprise_online, false) as has_enterprise_gap,
        coalesce(store.review_count < params.min_reviews, false) as has_review_gap,
        coalesce(store.review_rating < params.min_rating, false) as has_rating_gap
    from {{ ref('fct_store_snapshot') }} as store
    inner join params
        on store.account_id = params.account_id
),

weekly_inquiries as (
    -- the store's mean weekly inquiries over the funnel weeks ending in the 4 weeks up to each snapshot
    select
        snapshots.account_id,
        snapshots.snapshot_date,
        avg(funnel.inquiries) as mean_weekly_inquiries
    from snapshots
    inner join {{ ref('fct_funnel_weekly') }} as funnel
        on
            snapshots.account_id = funnel.account_id
            and snapshots.snapshot_date >= funnel.period_end
            and {{ gscor_add_days(-28, 'snapshots.snapshot_date') }} < funnel.period_end
            and funnel.inquiries is not null
    group by snapshots.account_id, snapshots.snapshot_date
),

gaps as (
    select
        snapshots.*,
        coalesce(weekly_inquiries.mean_weekly_inquiries, 0) as mean_weekly_inquiries,
        (case when snapshots.has_membership_gap then 1 else 0 end)
        + (case when snapshots.has_enterprise_gap then 1 else 0 end)
        + (case when snapshots.has_review_gap then 1 else 0 end)
        + (case when snapshots.has_rating_gap then 1 else 0 end) as gap_count,
        case when snapshots.has_membership_gap then '会员类型 ' || snapshots.membership_type || '，低于实力商家；' else '' end
        || case when snapshots.has_enterprise_gap then '企业在线未开通；' else '' end
        || case
            when snapshots.has_review_gap
                then
                    '评价数 ' || {{ gscor_fmt_num('review_count') }} || '，少于 ' || {{ gscor_fmt_num('min_reviews') }}
                    || '；'
            else ''
        end
        || case
            when snapshots.has_rating_gap
                then
                    '评价星级 ' || {{ gscor_fmt_num('review_rating', 1) }} || '，低于 '
                    || {{ gscor_fmt_num('min_rating', 1) }} || '；'
            else ''
        end as gaps_zh,
        case
            when
                snapshots.has_membership_gap
                then 'membership ' || snapshots.membership_type || ' (below 实力商家); '
            else ''
        end
        || case when snapshots.has_enterprise_gap then 'Enterprise Online off; ' else '' end
        || case
            when snapshots.has_review_gap
                then
                    {{ gscor_fmt_num('review_count') }} || ' reviews (fewer than '
                    || {{ gscor_fmt_num('min_reviews') }} || '); '
            else ''
        end
        || case
            when snapshots.has_rating_gap
                then
                    'rating ' || {{ gscor_fmt_num('review_rating', 1) }} || ' (below '
                    || {{ gscor_fmt_num('min_rating', 1) }} || '); '
            else ''
        end as gaps_en
    from snapshots
    left join weekly_inquiries
        on
            snapshots.account_id = weekly_inquiries.account_id
            and snapshots.snapshot_date = weekly_inquiries.snapshot_date
),

findings as (
    select
        account_id,
        'S06' as rule_id,
        'S' as stage,  -- noqa: RF04
        case
            when gap_count >= 3 then 'high'
            when gap_count = 2 then 'medium'
            else 'low'
        end as severity,
        'store' as entity_type,
        'store' as entity_id,
        account_id as entity_label,
        'snapshot' as period_grain,
        snapshot_date as period_start,
        snapshot_date as period_end,
        'trust_gaps' as metric,
        gap_count as value,  -- noqa: RF04
        0 as threshold,
        cast(null as {{ gscor_type('double') }}) as benchmark,
        mean_weekly_inquiries * gap_count * coalesce(inquiry_uplift_per_gap, 0) as impact_estimate,
        'inquiries' as impact_unit,
        'PLAN_TRUST_UPGRADES' as action_code,
        '制定店铺信任提升计划（认证、会员升级、企业在线、邀请老客户评价）：' || gaps_zh
        || '（快照 ' || {{ gscor_cast('snapshot_date', 'string') }} || '）' as action_text_zh,
        'Plan the trust upgrades of the store (certification, membership, Enterprise Online, reviews from past '
        || 'buyers): ' || gaps_en || 'snapshot ' || {{ gscor_cast('snapshot_date', 'string') }} as action_text_en,
        {{ gscor_cast('null', 'string') }} as owner,  -- noqa: RF04
        {{ gscor_fmt_num('gap_count') }} || ' gap(s): ' || gaps_en
        || 'impact = ' || {{ gscor_fmt_num('mean_weekly_inquiries', 1) }} || ' inquiries/week × '
        || {{ gscor_fmt_num('gap_count') }} || ' gap(s) × ' || {{ gscor_fmt_pct('inquiry_uplift_per_gap', 0) }}
        || ' assumed lift per gap' as evidence_detail
    from gaps
    where gap_count > 0
)

{{ gscor_finding_record('findings') }}
