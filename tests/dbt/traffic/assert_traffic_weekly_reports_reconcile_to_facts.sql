-- Reconciliation, weekly reports: per account × week, rpt_keyword_weekly's impressions / clicks / P4P figures
-- and its export-row count equal fct_keyword_period's (week grain), and rpt_traffic_source_weekly's
-- visitors_daily_uv_sum and channel-day rows equal the daily fact's sums over the Sunday-start week.
-- Returns every account × week (and family) that differs.
with

keyword_fact_weeks as (

    select
        account_id,
        period_start,
        count(*) as row_count,
        sum(impressions) as impressions,
        sum(clicks) as clicks,
        sum(p4p_impressions) as p4p_impressions,
        sum(p4p_clicks) as p4p_clicks
    from {{ ref('fct_keyword_period') }}
    where period_grain = 'week'
    group by account_id, period_start

),

keyword_report_weeks as (

    select
        account_id,
        period_start,
        sum(export_rows) as row_count,
        sum(impressions) as impressions,
        sum(clicks) as clicks,
        sum(p4p_impressions) as p4p_impressions,
        sum(p4p_clicks) as p4p_clicks
    from {{ ref('rpt_keyword_weekly') }}
    group by account_id, period_start

),

keyword_differences as (

    select
        'keyword' as reconciled_family,
        coalesce(keyword_fact_weeks.account_id, keyword_report_weeks.account_id) as account_id,
        coalesce(keyword_fact_weeks.period_start, keyword_report_weeks.period_start) as period_start
    from keyword_fact_weeks
    full outer join keyword_report_weeks
        on
            keyword_fact_weeks.account_id = keyword_report_weeks.account_id
            and keyword_fact_weeks.period_start = keyword_report_weeks.period_start
    where
        keyword_fact_weeks.row_count is distinct from keyword_report_weeks.row_count
        or keyword_fact_weeks.impressions is distinct from keyword_report_weeks.impressions
        or keyword_fact_weeks.clicks is distinct from keyword_report_weeks.clicks
        or keyword_fact_weeks.p4p_impressions is distinct from keyword_report_weeks.p4p_impressions
        or keyword_fact_weeks.p4p_clicks is distinct from keyword_report_weeks.p4p_clicks

),

channel_fact_weeks as (

    select
        account_id,
        {{ gscor_week_start('stat_date') }} as period_start,
        count(*) as row_count,
        sum(visitors) as visitors
    from {{ ref('fct_traffic_channel_daily') }}
    group by account_id, {{ gscor_week_start('stat_date') }}

),

channel_report_weeks as (

    select
        account_id,
        period_start,
        sum(channel_day_rows) as row_count,
        sum(visitors_daily_uv_sum) as visitors
    from {{ ref('rpt_traffic_source_weekly') }}
    group by account_id, period_start

),

channel_differences as (

    select
        'traffic_source' as reconciled_family,
        coalesce(channel_fact_weeks.account_id, channel_report_weeks.account_id) as account_id,
        coalesce(channel_fact_weeks.period_start, channel_report_weeks.period_start) as period_start
    from channel_fact_weeks
    full outer join channel_report_weeks
        on
            channel_fact_weeks.account_id = channel_report_weeks.account_id
            and channel_fact_weeks.period_start = channel_report_weeks.period_start
    where
        channel_fact_weeks.row_count is distinct from channel_report_weeks.row_count
        or channel_fact_weeks.visitors is distinct from channel_report_weeks.visitors

)

select * from keyword_differences
union all
select * from channel_differences
