{{ config(
    materialized='incremental',
    on_schema_change='fail',
    **gscor_incremental_config(['account_id', 'period_grain', 'period_start'])
) }}
-- Per P4P keyword, the trailing 4 weeks ending with each week (the evidence window of rules G03, G06, C03).
-- One row per account × anchor week (Sunday–Saturday, period_start/period_end) × 推广计划 × normalised keyword
-- that had a row in the window window_start..period_end (window_start = anchor Sunday − 21 days).
-- Anchor weeks are the weeks with P4P keyword data for the account.
with

keyword_days as (

    select * from {{ ref('fct_p4p_keyword_daily') }}

),

account_weeks as (

    select distinct
        account_id,
        week_start
    from keyword_days

),

anchor_windows as (

    select
        account_id,
        week_start as period_start,
        {{ gscor_week_end('week_start') }} as period_end,
        {{ gscor_add_days('-21', 'week_start') }} as window_start
    from account_weeks

),

window_coverage as (

    select
        anchor_windows.account_id,
        anchor_windows.period_start,
        count(*) as window_weeks_with_data
    from anchor_windows
    inner join account_weeks
        on
            anchor_windows.account_id = account_weeks.account_id
            and account_weeks.week_start between anchor_windows.window_start and anchor_windows.period_start
    group by anchor_windows.account_id, anchor_windows.period_start

),

window_keyword_days as (

    select
        anchor_windows.period_start,
        anchor_windows.period_end,
        anchor_windows.window_start,
        keyword_days.account_id,
        keyword_days.campaign,
        keyword_days.keyword_key,
        keyword_days.keyword_normalised,
        keyword_days.keyword,
        keyword_days.stat_date,
        keyword_days.bid,
        keyword_days.bid_currency,
        keyword_days.promotion_score,
        keyword_days.impressions,
        keyword_days.clicks,
        keyword_days.spend,
        keyword_days.spend_usd,
        keyword_days.spend_cny,
        keyword_days.inquiries,
        keyword_days.tm_inquiries,
        keyword_days.loaded_at
    from anchor_windows
    inner join keyword_days
        on
            anchor_windows.account_id = keyword_days.account_id
            and keyword_days.stat_date between anchor_windows.window_start and anchor_windows.period_end

),

latest_settings as (

    select
        account_id,
        period_start,
        campaign,
        keyword_key,
        bid as latest_bid,
        bid_currency as latest_bid_currency,
        promotion_score as latest_promotion_score
    from (
        select
            *,
            row_number() over (
                partition by account_id, period_start, campaign, keyword_key
                order by stat_date desc, keyword desc
            ) as recency_rank
        from window_keyword_days
    ) as ranked_keyword_days
    where recency_rank = 1

),

window_totals as (

    select
        account_id,
        period_start,
        period_end,
        window_start,
        campaign,
        keyword_key,
        keyword_normalised,
        count(distinct stat_date) as days_with_data,
        sum(impressions) as impressions_4w,
        sum(clicks) as clicks_4w,
        -- only its sign is used: spent anything, in any currency
        sum(spend) as spend_4w_any_currency,
        sum(case when spend is not null and spend_usd is null then 1 else 0 end) as rows_missing_fx,
        sum(spend_usd) as spend_usd_sum,
        sum(spend_cny) as spend_cny_sum,
        sum(inquiries) as inquiries_4w,
        sum(tm_inquiries) as tm_inquiries_4w,
        max(loaded_at) as loaded_at
    from window_keyword_days
    group by account_id, period_start, period_end, window_start, campaign, keyword_key, keyword_normalised

),

final as (

    select
        window_totals.account_id,
        'week' as period_grain,
        window_totals.period_start,
        window_totals.period_end,
        window_totals.window_start,
        window_totals.period_end as window_end,
        window_coverage.window_weeks_with_data,
        window_coverage.window_weeks_with_data = 4 as is_full_window,
        window_totals.campaign,
        window_totals.keyword_key,
        window_totals.keyword_normalised as keyword,
        window_totals.days_with_data,
        latest_settings.latest_bid,
        latest_settings.latest_bid_currency,
        latest_settings.latest_promotion_score,
        window_totals.impressions_4w,
        window_totals.clicks_4w,
        cast(window_totals.clicks_4w as double) / nullif(window_totals.impressions_4w, 0) as ctr_4w,
        case when window_totals.rows_missing_fx = 0 then window_totals.spend_usd_sum end as spend_usd_4w,
        case when window_totals.rows_missing_fx = 0 then window_totals.spend_cny_sum end as spend_cny_4w,
        window_totals.inquiries_4w,
        window_totals.tm_inquiries_4w,
        case
            when window_totals.rows_missing_fx = 0
                then cast({{ gscor_divide(
                    'window_totals.spend_usd_sum',
                    'nullif(window_totals.clicks_4w, 0)'
                ) }} as decimal(18, 4))
        end as cpc_usd_4w,
        case
            when window_totals.rows_missing_fx = 0
                then cast({{ gscor_divide(
                    'window_totals.spend_cny_sum',
                    'nullif(window_totals.clicks_4w, 0)'
                ) }} as decimal(18, 4))
        end as cpc_cny_4w,
        case
            when window_totals.rows_missing_fx = 0
                then cast({{ gscor_divide(
                    'window_totals.spend_usd_sum',
                    'nullif(window_totals.inquiries_4w, 0)'
                ) }} as decimal(18, 4))
        end as cost_per_inquiry_usd_4w,
        case
            when window_totals.rows_missing_fx = 0
                then cast({{ gscor_divide(
                    'window_totals.spend_cny_sum',
                    'nullif(window_totals.inquiries_4w, 0)'
                ) }} as decimal(18, 4))
        end as cost_per_inquiry_cny_4w,
        coalesce(window_totals.spend_4w_any_currency > 0 and coalesce(window_totals.inquiries_4w, 0) = 0, false)
            as is_zero_inquiry_spender,
        coalesce(
            window_totals.spend_4w_any_currency > 0
            and coalesce(window_totals.inquiries_4w, 0) = 0
            and coalesce(window_totals.tm_inquiries_4w, 0) = 0,
            false
        ) as is_zero_opportunity_spender,
        window_totals.loaded_at
    from window_totals
    inner join window_coverage
        on
            window_totals.account_id = window_coverage.account_id
            and window_totals.period_start = window_coverage.period_start
    left join latest_settings
        on
            window_totals.account_id = latest_settings.account_id
            and window_totals.period_start = latest_settings.period_start
            and window_totals.campaign = latest_settings.campaign
            and window_totals.keyword_key = latest_settings.keyword_key

)

select final.* from final
{{ gscor_only_changed_periods('final') }}
