-- Reconciliation, 流量关键词: per account × export period, the landing zone's LATEST load of the period (the
-- latest loaded_at, then the greatest source_sha256 — staging's file-grain de-duplication, re-derived here
-- independently), staging and fct_keyword_period must agree on row count, 曝光量, 点击量, 外贸直通车曝光 and
-- 外贸直通车点击, to the unit. Returns every period where one layer differs or is missing.
with

landing as (

    select * from {{ source('alibaba', 'keyword_performance') }}

),

newest_load_times as (

    select
        account_id,
        period_start,
        period_end,
        max(loaded_at) as loaded_at
    from landing
    group by account_id, period_start, period_end

),

newest_load_files as (

    select
        landing.account_id,
        landing.period_start,
        landing.period_end,
        max(landing.source_sha256) as source_sha256
    from landing
    inner join newest_load_times
        on
            landing.account_id = newest_load_times.account_id
            and landing.period_start = newest_load_times.period_start
            and landing.period_end = newest_load_times.period_end
            and landing.loaded_at = newest_load_times.loaded_at
    group by landing.account_id, landing.period_start, landing.period_end

),

landing_totals as (

    select
        landing.account_id,
        landing.period_start,
        landing.period_end,
        count(*) as row_count,
        sum(landing.impressions) as impressions,
        sum(landing.clicks) as clicks,
        sum(landing.p4p_impressions) as p4p_impressions,
        sum(landing.p4p_clicks) as p4p_clicks
    from landing
    inner join newest_load_files
        on
            landing.account_id = newest_load_files.account_id
            and landing.period_start = newest_load_files.period_start
            and landing.period_end = newest_load_files.period_end
            and landing.source_sha256 = newest_load_files.source_sha256
    group by landing.account_id, landing.period_start, landing.period_end

),

staging_totals as (

    select
        account_id,
        period_start,
        period_end,
        count(*) as row_count,
        sum(impressions) as impressions,
        sum(clicks) as clicks,
        sum(p4p_impressions) as p4p_impressions,
        sum(p4p_clicks) as p4p_clicks
    from {{ ref('stg_alibaba__keyword_performance') }}
    group by account_id, period_start, period_end

),

fact_totals as (

    select
        account_id,
        period_start,
        period_end,
        count(*) as row_count,
        sum(impressions) as impressions,
        sum(clicks) as clicks,
        sum(p4p_impressions) as p4p_impressions,
        sum(p4p_clicks) as p4p_clicks
    from {{ ref('fct_keyword_period') }}
    group by account_id, period_start, period_end

),

compared as (

    select
        coalesce(landing_totals.account_id, staging_totals.account_id, fact_totals.account_id) as account_id,
        coalesce(landing_totals.period_start, staging_totals.period_start, fact_totals.period_start) as period_start,
        coalesce(landing_totals.period_end, staging_totals.period_end, fact_totals.period_end) as period_end,
        landing_totals.row_count as landing_rows,
        staging_totals.row_count as staging_rows,
        fact_totals.row_count as fact_rows,
        landing_totals.impressions as landing_impressions,
        staging_totals.impressions as staging_impressions,
        fact_totals.impressions as fact_impressions,
        landing_totals.clicks as landing_clicks,
        staging_totals.clicks as staging_clicks,
        fact_totals.clicks as fact_clicks,
        landing_totals.p4p_impressions as landing_p4p_impressions,
        staging_totals.p4p_impressions as staging_p4p_impressions,
        fact_totals.p4p_impressions as fact_p4p_impressions,
        landing_totals.p4p_clicks as landing_p4p_clicks,
        staging_totals.p4p_clicks as staging_p4p_clicks,
        fact_totals.p4p_clicks as fact_p4p_clicks
    from landing_totals
    full outer join staging_totals
        on
            landing_totals.account_id = staging_totals.account_id
            and landing_totals.period_start = staging_totals.period_start
            and landing_totals.period_end = staging_totals.period_end
    full outer join fact_totals
        on
            coalesce(landing_totals.account_id, staging_totals.account_id) = fact_totals.account_id
            and coalesce(landing_totals.period_start, staging_totals.period_start) = fact_totals.period_start
            and coalesce(landing_totals.period_end, staging_totals.period_end) = fact_totals.period_end

)

select * from compared
where
    landing_rows is distinct from staging_rows
    or staging_rows is distinct from fact_rows
    or landing_impressions is distinct from staging_impressions
    or staging_impressions is distinct from fact_impressions
    or landing_clicks is distinct from staging_clicks
    or staging_clicks is distinct from fact_clicks
    or landing_p4p_impressions is distinct from staging_p4p_impressions
    or staging_p4p_impressions is distinct from fact_p4p_impressions
    or landing_p4p_clicks is distinct from staging_p4p_clicks
    or staging_p4p_clicks is distinct from fact_p4p_clicks
