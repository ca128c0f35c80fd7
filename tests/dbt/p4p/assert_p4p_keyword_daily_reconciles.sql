-- Reconciliation of the P4P keyword report (外贸直通车 关键词报表): per account and day, impressions, clicks, spend
-- (original currency), 询盘量 and TM咨询量 must agree between the landing zone (latest load only: per account,
-- day, campaign and keyword the newest loaded_at, then source_sha256, then source_row — the staging
-- de-duplication policy, re-derived here with an anti-join), stg_alibaba__p4p_keyword_daily and
-- fct_p4p_keyword_daily. Returns every (account, day) where one of the three disagrees or is missing.
with

landing as (

    select * from {{ source('alibaba', 'p4p_keyword_daily') }}

),

landing_latest as (

    select landing.*
    from landing
    where not exists (
        select 1
        from landing as newer
        where
            newer.account_id = landing.account_id
            and newer.stat_date = landing.stat_date
            and newer.campaign = landing.campaign
            and newer.keyword = landing.keyword
            and (
                newer.loaded_at > landing.loaded_at
                or (newer.loaded_at = landing.loaded_at and newer.source_sha256 > landing.source_sha256)
                or (
                    newer.loaded_at = landing.loaded_at
                    and newer.source_sha256 = landing.source_sha256
                    and newer.source_row > landing.source_row
                )
            )
    )

),

landing_totals as (

    select
        account_id,
        stat_date,
        sum(impressions) as impressions,
        sum(clicks) as clicks,
        sum(spend) as spend,
        sum(inquiries) as inquiries,
        sum(tm_inquiries) as tm_inquiries
    from landing_latest
    group by account_id, stat_date

),

staging_totals as (

    select
        account_id,
        stat_date,
        sum(impressions) as impressions,
        sum(clicks) as clicks,
        sum(spend) as spend,
        sum(inquiries) as inquiries,
        sum(tm_inquiries) as tm_inquiries
    from {{ ref('stg_alibaba__p4p_keyword_daily') }}
    group by account_id, stat_date

),

fact_totals as (

    select
        account_id,
        stat_date,
        sum(impressions) as impressions,
        sum(clicks) as clicks,
        sum(spend) as spend,
        sum(inquiries) as inquiries,
        sum(tm_inquiries) as tm_inquiries
    from {{ ref('fct_p4p_keyword_daily') }}
    group by account_id, stat_date

),

compared as (

    select
        coalesce(landing_totals.account_id, staging_totals.account_id, fact_totals.account_id) as account_id,
        coalesce(landing_totals.stat_date, staging_totals.stat_date, fact_totals.stat_date) as stat_date,
        landing_totals.impressions as landing_impressions,
        staging_totals.impressions as staging_impressions,
        fact_totals.impressions as fact_impressions,
        landing_totals.clicks as landing_clicks,
        staging_totals.clicks as staging_clicks,
        fact_totals.clicks as fact_clicks,
        landing_totals.spend as landing_spend,
        staging_totals.spend as staging_spend,
        fact_totals.spend as fact_spend,
        landing_totals.inquiries as landing_inquiries,
        staging_totals.inquiries as staging_inquiries,
        fact_totals.inquiries as fact_inquiries,
        landing_totals.tm_inquiries as landing_tm_inquiries,
        staging_totals.tm_inquiries as staging_tm_inquiries,
        fact_totals.tm_inquiries as fact_tm_inquiries
    from landing_totals
    full outer join staging_totals
        on landing_totals.account_id = staging_totals.account_id and landing_totals.stat_date = staging_totals.stat_date
    full outer join fact_totals
        on
            coalesce(landing_totals.account_id, staging_totals.account_id) = fact_totals.account_id
            and coalesce(landing_totals.stat_date, staging_totals.stat_date) = fact_totals.stat_date

)

select *
from compared
where
    landing_impressions is distinct from staging_impressions
    or staging_impressions is distinct from fact_impressions
    or landing_clicks is distinct from staging_clicks
    or staging_clicks is distinct from fact_clicks
    or landing_spend is distinct from staging_spend
    or staging_spend is distinct from fact_spend
    or landing_inquiries is distinct from staging_inquiries
    or staging_inquiries is distinct from fact_inquiries
    or landing_tm_inquiries is distinct from staging_tm_inquiries
    or staging_tm_inquiries is distinct from fact_tm_inquiries
