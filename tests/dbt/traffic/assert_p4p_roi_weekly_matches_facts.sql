-- fct_p4p_roi_weekly must add up the P4P facts: per account and week, the keyword part (spend_usd, clicks,
-- 询盘量) equals fct_p4p_keyword_daily summed over the week's days, and the full-site part equals
-- fct_p4p_fullsite_product's whole-week rows of that week (the generated and real exports are weekly); total
-- impressions = keyword + full-site impressions. Also: every keyword-report week appears. Returns the weeks
-- that disagree.
with

keyword_weeks as (

    select
        account_id,
        week_start,
        sum(impressions) as impressions,
        sum(clicks) as clicks,
        sum(spend_usd) as spend_usd,
        sum(inquiries) as inquiries
    from {{ ref('fct_p4p_keyword_daily') }}
    group by account_id, week_start

),

fullsite_weeks as (

    select
        account_id,
        period_start as week_start,
        sum(impressions) as impressions,
        sum(clicks) as clicks,
        sum(spend_usd) as spend_usd,
        sum(inquiries) as inquiries
    from {{ ref('fct_p4p_fullsite_product') }}
    where period_start = week_start and period_end = {{ gscor_week_end('period_start') }}
    group by account_id, period_start

),

roi as (

    select * from {{ ref('fct_p4p_roi_weekly') }}

)

select
    coalesce(roi.account_id, keyword_weeks.account_id) as account_id,
    coalesce(roi.period_start, keyword_weeks.week_start) as week_start,
    roi.keyword_spend_usd,
    keyword_weeks.spend_usd as fact_keyword_spend_usd,
    roi.fullsite_spend_usd,
    fullsite_weeks.spend_usd as fact_fullsite_spend_usd,
    roi.clicks,
    roi.impressions,
    roi.inquiries
from roi
full outer join keyword_weeks
    on roi.account_id = keyword_weeks.account_id and roi.period_start = keyword_weeks.week_start
left join fullsite_weeks
    on roi.account_id = fullsite_weeks.account_id and roi.period_start = fullsite_weeks.week_start
where
    roi.account_id is null
    or roi.keyword_spend_usd is distinct from keyword_weeks.spend_usd
    or roi.fullsite_spend_usd is distinct from fullsite_weeks.spend_usd
    or roi.keyword_clicks is distinct from keyword_weeks.clicks
    or roi.fullsite_clicks is distinct from fullsite_weeks.clicks
    or roi.keyword_inquiries is distinct from keyword_weeks.inquiries
    or roi.fullsite_inquiries is distinct from fullsite_weeks.inquiries
    or roi.clicks <> coalesce(keyword_weeks.clicks, 0) + coalesce(fullsite_weeks.clicks, 0)
    or roi.impressions <> coalesce(keyword_weeks.impressions, 0) + coalesce(fullsite_weeks.impressions, 0)
    or roi.spend_usd <> coalesce(keyword_weeks.spend_usd, 0) + coalesce(fullsite_weeks.spend_usd, 0)
