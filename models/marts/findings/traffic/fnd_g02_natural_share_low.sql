-- G02 自然流量占比过低 natural traffic share too low (docs/findings_catalogue.md, stage G).
-- Fires for the store and a window of window_weeks complete weeks of 流量来源 traffic-source data (every week of the
-- window has all 7 days) when the natural-search share of visitors is below min_natural_share.
-- Share = natural_search visitors / all visitors over the window, both as sums of DAILY unique visitors
-- (rpt_traffic_source_weekly.visitors_daily_uv_sum: the export only has daily uniques, so this is a share of
-- visitor-days; no unique-visitor count is formed across days or weeks).
-- Grain: account × window (entity store; period_grain '4w' — 'week' if window_weeks = 1; period_start = window end
-- − 7 × window_weeks + 1).
-- threshold = min_natural_share; benchmark = null.
-- impact_estimate (visitors per week) = (min_natural_share × all visitors − natural visitors) / window_weeks: the
--   natural-search visitors a week missing to reach the threshold share (daily-unique sums).
-- severity: share / threshold < 0.5 → high, < 0.8 → medium, else low.

with params as ({{ gscor_rule_params('G02', ['min_natural_share', 'window_weeks']) }}),

class_weeks as (
    select
        account_id,
        period_start,
        period_end,
        channel_class,
        is_complete_week,
        visitors_daily_uv_sum
    from {{ ref('rpt_traffic_source_weekly') }}
    where period_grain = 'week'
),

account_weeks as (
    select
        account_id,
        period_end,
        min(case when is_complete_week then 1 else 0 end) as is_complete,
        sum(visitors_daily_uv_sum) as visitors,
        sum(case when channel_class = 'natural_search' then visitors_daily_uv_sum else 0 end) as natural_visitors
    from class_weeks
    group by account_id, period_end
),

windows as (
    select
        anchor.account_id,
        anchor.period_end as window_end,
        cast(params.window_weeks as integer) as window_weeks,
        params.min_natural_share,
        sum(covered.visitors) as visitors,
        sum(covered.natural_visitors) as natural_visitors,
        count(*) as weeks_in_window,
        sum(covered.is_complete) as complete_weeks
    from account_weeks as anchor
    inner join params
        on anchor.account_id = params.account_id
    inner join account_weeks as covered
        on
            anchor.account_id = covered.account_id
            and anchor.period_end >= covered.period_end
            and {{ gscor_days_between('covered.period_end', 'anchor.period_end') }} < 7 * params.window_weeks
    group by anchor.account_id, anchor.period_end, params.window_weeks, params.min_natural_share
),

firing as (
    select
        *,
        {{ gscor_add_days('1 - 7 * window_weeks', 'window_end') }} as window_start,
        {{ gscor_ratio('natural_visitors', 'visitors') }} as natural_share
    from windows
    where
        complete_weeks = window_weeks
        and visitors > 0
        and {{ gscor_ratio('natural_visitors', 'visitors') }} < min_natural_share
),

findings as (
    select
        account_id,
        'G02' as rule_id,
        'G' as stage,  -- noqa: RF04
        case
            when natural_share / min_natural_share < 0.5 then 'high'
            when natural_share / min_natural_share < 0.8 then 'medium'
            else 'low'
        end as severity,
        'store' as entity_type,
        'store' as entity_id,
        account_id as entity_label,
        case when window_weeks = 1 then 'week' else '4w' end as period_grain,
        window_start as period_start,
        window_end as period_end,
        'natural_search_share' as metric,
        natural_share as value,  -- noqa: RF04
        min_natural_share as threshold,
        cast(null as {{ gscor_type('double') }}) as benchmark,
        (min_natural_share * visitors - natural_visitors) / window_weeks as impact_estimate,
        'visitors' as impact_unit,
        'SHIFT_BUDGET_TO_ORGANIC' as action_code,
        '近 ' || {{ gscor_fmt_num('window_weeks') }} || ' 周自然搜索访客只占 ' || {{ gscor_fmt_pct('natural_share') }}
        || '（目标 ≥ ' || {{ gscor_fmt_pct('min_natural_share', 0) }}
        || '）：把预算转向自然流量——优化标题和关键词、产品信息质量、橱窗' as action_text_zh,
        'Natural search brought only ' || {{ gscor_fmt_pct('natural_share') }} || ' of visitors in the last '
        || {{ gscor_fmt_num('window_weeks') }} || ' weeks (target ≥ ' || {{ gscor_fmt_pct('min_natural_share', 0) }}
        || '): shift effort to organic traffic — titles and keywords, listing quality, showcase' as action_text_en,
        cast(null as {{ gscor_type('varchar') }}) as owner,  -- noqa: RF04
        'natural-search visitors ' || {{ gscor_fmt_num('natural_visitors') }} || ' of '
        || {{ gscor_fmt_num('visitors') }}
        || ' (sums of daily unique visitors)' as evidence_detail
    from firing
)

{{ gscor_finding_record('findings') }}
