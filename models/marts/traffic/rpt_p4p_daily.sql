-- 外贸直通车 daily report: one row per account × day × 推广计划 from fct_p4p_keyword_daily, with the previous
-- day and the trailing 7-day average. "Previous day" and the 7-day window are calendar days; a day on which
-- the account has P4P rows but this campaign has none counts as 0, a day with no P4P rows for the account at
-- all is unknown (not loaded) and is left out of the average (days_in_7d_avg says how many days it uses).
with

keyword_days as (

    select * from {{ ref('fct_p4p_keyword_daily') }}

),

campaign_days as (

    select
        account_id,
        stat_date,
        campaign,
        sum(impressions) as impressions,
        sum(clicks) as clicks,
        sum(case when spend is not null and spend_usd is null then 1 else 0 end) as rows_missing_fx,
        sum(spend_usd) as spend_usd_known,
        sum(spend_cny) as spend_cny_known,
        sum(inquiries) as inquiries,
        sum(tm_inquiries) as tm_inquiries,
        count(distinct case when impressions > 0 or clicks > 0 or spend > 0 then keyword_key end) as keywords_active,
        count(distinct case when spend > 0 and coalesce(inquiries, 0) = 0 then keyword_key end)
            as keywords_spend_no_inquiry,
        max(loaded_at) as loaded_at
    from keyword_days
    group by account_id, stat_date, campaign

),

campaign_days_spend as (

    select
        *,
        case when rows_missing_fx = 0 then spend_usd_known end as spend_usd,
        case when rows_missing_fx = 0 then spend_cny_known end as spend_cny
    from campaign_days

),

account_days as (

    select distinct
        account_id,
        stat_date
    from keyword_days

),

previous_day as (

    select
        campaign_days_spend.account_id,
        campaign_days_spend.stat_date,
        campaign_days_spend.campaign,
        case when account_days.stat_date is not null then coalesce(earlier.clicks, 0) end as clicks_prev_day,
        case when account_days.stat_date is not null then coalesce(earlier.spend_cny, 0) end as spend_cny_prev_day,
        case when account_days.stat_date is not null then coalesce(earlier.inquiries, 0) end as inquiries_prev_day
    from campaign_days_spend
    left join account_days
        on
            campaign_days_spend.account_id = account_days.account_id
            and account_days.stat_date = {{ gscor_add_days('-1', 'campaign_days_spend.stat_date') }}
    left join campaign_days_spend as earlier
        on
            campaign_days_spend.account_id = earlier.account_id
            and campaign_days_spend.campaign = earlier.campaign
            and account_days.stat_date = earlier.stat_date

),

window_7d as (

    select
        campaign_days_spend.account_id,
        campaign_days_spend.stat_date,
        campaign_days_spend.campaign,
        count(*) as days_in_7d_avg,
        sum(coalesce(earlier.clicks, 0)) as clicks_7d,
        sum(coalesce(earlier.spend_cny, 0)) as spend_cny_7d,
        sum(case when earlier.campaign is not null and earlier.spend_cny is null then 1 else 0 end)
            as days_unknown_spend_7d,
        sum(coalesce(earlier.inquiries, 0)) as inquiries_7d
    from campaign_days_spend
    inner join account_days
        on
            campaign_days_spend.account_id = account_days.account_id
            and account_days.stat_date between {{ gscor_add_days('-6', 'campaign_days_spend.stat_date') }}
            and campaign_days_spend.stat_date
    left join campaign_days_spend as earlier
        on
            campaign_days_spend.account_id = earlier.account_id
            and campaign_days_spend.campaign = earlier.campaign
            and account_days.stat_date = earlier.stat_date
    group by campaign_days_spend.account_id, campaign_days_spend.stat_date, campaign_days_spend.campaign

),

final as (

    select
        campaign_days_spend.account_id,
        'day' as period_grain,
        campaign_days_spend.stat_date as period_start,
        campaign_days_spend.stat_date as period_end,
        campaign_days_spend.stat_date,
        campaign_days_spend.campaign,
        campaign_days_spend.impressions,
        campaign_days_spend.clicks,
        cast(campaign_days_spend.clicks as double) / nullif(campaign_days_spend.impressions, 0) as ctr,
        campaign_days_spend.spend_cny,
        campaign_days_spend.spend_usd,
        cast({{ gscor_divide(
            'campaign_days_spend.spend_cny',
            'nullif(campaign_days_spend.clicks, 0)'
        ) }} as decimal(18, 4)) as cpc_cny,
        cast({{ gscor_divide(
            'campaign_days_spend.spend_usd',
            'nullif(campaign_days_spend.clicks, 0)'
        ) }} as decimal(18, 4)) as cpc_usd,
        campaign_days_spend.inquiries,
        campaign_days_spend.tm_inquiries,
        cast({{ gscor_divide(
            'campaign_days_spend.spend_cny',
            'nullif(campaign_days_spend.inquiries, 0)'
        ) }} as decimal(18, 4))
            as cost_per_inquiry_cny,
        cast({{ gscor_divide(
            'campaign_days_spend.spend_usd',
            'nullif(campaign_days_spend.inquiries, 0)'
        ) }} as decimal(18, 4))
            as cost_per_inquiry_usd,
        campaign_days_spend.keywords_active,
        campaign_days_spend.keywords_spend_no_inquiry,
        previous_day.clicks_prev_day,
        previous_day.spend_cny_prev_day,
        previous_day.inquiries_prev_day,
        cast(campaign_days_spend.clicks - previous_day.clicks_prev_day as double)
        / nullif(previous_day.clicks_prev_day, 0) as clicks_dod_change,
        cast(campaign_days_spend.spend_cny - previous_day.spend_cny_prev_day as double)
        / nullif(previous_day.spend_cny_prev_day, 0) as spend_cny_dod_change,
        window_7d.days_in_7d_avg,
        cast(window_7d.clicks_7d as double) / window_7d.days_in_7d_avg as clicks_7d_avg,
        case
            when window_7d.days_unknown_spend_7d = 0
                then cast(window_7d.spend_cny_7d / window_7d.days_in_7d_avg as decimal(18, 4))
        end as spend_cny_7d_avg,
        cast(window_7d.inquiries_7d as double) / window_7d.days_in_7d_avg as inquiries_7d_avg,
        campaign_days_spend.loaded_at
    from campaign_days_spend
    inner join previous_day
        on
            campaign_days_spend.account_id = previous_day.account_id
            and campaign_days_spend.stat_date = previous_day.stat_date
            and campaign_days_spend.campaign = previous_day.campaign
    inner join window_7d
        on
            campaign_days_spend.account_id = window_7d.account_id
            and campaign_days_spend.stat_date = window_7d.stat_date
            and campaign_days_spend.campaign = window_7d.campaign

)

select * from final
