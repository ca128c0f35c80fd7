-- S02 信息质量分低 low information quality (docs/findings_catalogue.md, stage S).
-- Fires for a product in a 产品管理 catalog snapshot (product_catalog) whose 信息质量分 information quality score
-- (0–5) is below min_quality_score (strictly: exactly the threshold does not fire). A snapshot rule: one finding per
-- product × catalog snapshot, period_grain 'snapshot', period_start = period_end = the snapshot date.
-- threshold = min_quality_score; benchmark = the median quality score of the store's products in that snapshot.
-- impact_estimate (clicks per week) = max(0, M − C), where C = the product's average weekly search clicks (搜索点击次数)
--   over the 4 weeks ending with the snapshot's week (Sunday → Saturday) and M = the median of that average over the
--   store's products at or above min_quality_score in the same snapshot: the clicks a listing of passing quality
--   typically earns. When the product already earns at least M: C × click_uplift (the seed's assumed relative lift
--   of a listing brought to passing quality, default 0.1). 0 when the account has no product export for those weeks
--   (the clicks are unknown; fct_findings.impact_note_* says so).
-- severity: score < 0.8 × threshold → high; < 0.9 × threshold → medium; else low.
-- owner: 产品负责人 of the product's latest weekly product export row up to the snapshot's week, when there is one.

with params as ({{ gscor_rule_params('S02', ['min_quality_score', 'click_uplift']) }}),

snapshots as (
    select
        catalogue.account_id,
        catalogue.product_id,
        catalogue.snapshot_date,
        catalogue.product_name,
        catalogue.quality_score,
        catalogue.product_grade,
        dates.week_end as snapshot_week_end
    from {{ ref('int_product_catalog_versioned') }} as catalogue
    inner join {{ ref('dim_date') }} as dates
        on catalogue.snapshot_date = dates.date_day
    where catalogue.quality_score is not null
),

product_weeks as (
    select
        account_id,
        product_id,
        period_end,
        search_clicks,
        owner
    from {{ ref('fct_product_period') }}
    where period_grain = 'week'
),

recent_clicks as (
    -- the product's average weekly search clicks over the 4 weeks ending with the snapshot's week
    select
        snapshots.account_id,
        snapshots.product_id,
        snapshots.snapshot_date,
        avg(product_weeks.search_clicks) as avg_weekly_clicks,
        max(case when product_weeks.period_end = snapshots.snapshot_week_end then product_weeks.owner end)
            as owner_this_week,
        max(product_weeks.owner) as owner_any_week
    from snapshots
    inner join product_weeks
        on
            snapshots.account_id = product_weeks.account_id
            and snapshots.product_id = product_weeks.product_id
            and snapshots.snapshot_week_end >= product_weeks.period_end
            and product_weeks.period_end > {{ gscor_add_days(-28, 'snapshots.snapshot_week_end') }}
    group by snapshots.account_id, snapshots.product_id, snapshots.snapshot_date
),

evaluated as (
    select
        snapshots.*,
        params.min_quality_score,
        params.click_uplift,
        recent_clicks.avg_weekly_clicks,
        coalesce(recent_clicks.owner_this_week, recent_clicks.owner_any_week) as owner  -- noqa: RF04
    from snapshots
    inner join params
        on snapshots.account_id = params.account_id
    left join recent_clicks
        on
            snapshots.account_id = recent_clicks.account_id
            and snapshots.product_id = recent_clicks.product_id
            and snapshots.snapshot_date = recent_clicks.snapshot_date
),

snapshot_benchmarks as (
    select
        account_id,
        snapshot_date,
        {{ gscor_percentile('quality_score', 0.5) }} as median_quality_score,
        {{ gscor_percentile(
            'case when quality_score >= min_quality_score then avg_weekly_clicks end', 0.5
        ) }} as passing_median_weekly_clicks
    from evaluated
    group by account_id, snapshot_date
),

firing as (
    select
        evaluated.*,
        snapshot_benchmarks.median_quality_score,
        snapshot_benchmarks.passing_median_weekly_clicks
    from evaluated
    inner join snapshot_benchmarks
        on
            evaluated.account_id = snapshot_benchmarks.account_id
            and evaluated.snapshot_date = snapshot_benchmarks.snapshot_date
    where evaluated.quality_score < evaluated.min_quality_score
),

findings as (
    select
        account_id,
        'S02' as rule_id,
        'S' as stage,  -- noqa: RF04
        case
            when quality_score < 0.8 * min_quality_score then 'high'
            when quality_score < 0.9 * min_quality_score then 'medium'
            else 'low'
        end as severity,
        'product' as entity_type,
        product_id as entity_id,
        coalesce(product_name, product_id) as entity_label,
        'snapshot' as period_grain,
        snapshot_date as period_start,
        snapshot_date as period_end,
        'quality_score' as metric,
        quality_score as value,  -- noqa: RF04
        min_quality_score as threshold,
        median_quality_score as benchmark,
        case
            when avg_weekly_clicks is null then 0
            when passing_median_weekly_clicks > avg_weekly_clicks then passing_median_weekly_clicks - avg_weekly_clicks
            else avg_weekly_clicks * coalesce(click_uplift, 0)
        end as impact_estimate,
        'clicks' as impact_unit,
        'IMPROVE_LISTING_QUALITY' as action_code,
        '完善产品「' || coalesce(product_name, product_id) || '」的信息（主图、属性、详情页）：信息质量分 '
        || {{ gscor_fmt_num('quality_score', 1) }} || '，低于 ' || {{ gscor_fmt_num('min_quality_score', 1) }}
        || '，店铺中位数 ' || {{ gscor_fmt_num('median_quality_score', 1) }} as action_text_zh,
        'Fix the listing of "' || coalesce(product_name, product_id) || '" (images, attributes, detail page): '
        || 'information quality score ' || {{ gscor_fmt_num('quality_score', 1) }} || ', below '
        || {{ gscor_fmt_num('min_quality_score', 1) }} || ' (store median '
        || {{ gscor_fmt_num('median_quality_score', 1) }} || ')' as action_text_en,
        owner,
        'product grade ' || coalesce(product_grade, 'unknown') || '; avg weekly search clicks (4 weeks) '
        || coalesce({{ gscor_fmt_num('avg_weekly_clicks', 1) }}, 'unknown') || ' vs '
        || coalesce({{ gscor_fmt_num('passing_median_weekly_clicks', 1) }}, 'unknown')
        || ' for the median product at or above the threshold' as evidence_detail
    from firing
)

{{ gscor_finding_record('findings') }}
