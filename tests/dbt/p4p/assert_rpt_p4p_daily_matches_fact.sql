-- rpt_p4p_daily must carry exactly the totals of fct_p4p_keyword_daily: per account and day, impressions,
-- clicks, spend (CNY and USD), 询盘量 and TM咨询量 summed over campaigns equal the fact's. Returns the
-- (account, day) pairs that differ or exist on one side only.
with

fact_totals as (

    select
        account_id,
        stat_date,
        sum(impressions) as impressions,
        sum(clicks) as clicks,
        sum(spend_cny) as spend_cny,
        sum(spend_usd) as spend_usd,
        sum(inquiries) as inquiries,
        sum(tm_inquiries) as tm_inquiries
    from {{ ref('fct_p4p_keyword_daily') }}
    group by account_id, stat_date

),

report_totals as (

    select
        account_id,
        stat_date,
        sum(impressions) as impressions,
        sum(clicks) as clicks,
        sum(spend_cny) as spend_cny,
        sum(spend_usd) as spend_usd,
        sum(inquiries) as inquiries,
        sum(tm_inquiries) as tm_inquiries
    from {{ ref('rpt_p4p_daily') }}
    group by account_id, stat_date

)

select
    coalesce(fact_totals.account_id, report_totals.account_id) as account_id,
    coalesce(fact_totals.stat_date, report_totals.stat_date) as stat_date,
    fact_totals.impressions as fact_impressions,
    report_totals.impressions as report_impressions,
    fact_totals.clicks as fact_clicks,
    report_totals.clicks as report_clicks,
    fact_totals.spend_cny as fact_spend_cny,
    report_totals.spend_cny as report_spend_cny,
    fact_totals.spend_usd as fact_spend_usd,
    report_totals.spend_usd as report_spend_usd,
    fact_totals.inquiries as fact_inquiries,
    report_totals.inquiries as report_inquiries
from fact_totals
full outer join report_totals
    on fact_totals.account_id = report_totals.account_id and fact_totals.stat_date = report_totals.stat_date
where
    fact_totals.impressions is distinct from report_totals.impressions
    or fact_totals.clicks is distinct from report_totals.clicks
    or fact_totals.spend_cny is distinct from report_totals.spend_cny
    or fact_totals.spend_usd is distinct from report_totals.spend_usd
    or fact_totals.inquiries is distinct from report_totals.inquiries
    or fact_totals.tm_inquiries is distinct from report_totals.tm_inquiries
