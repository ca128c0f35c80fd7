-- Reconciliation, 流量来源 by day: the export has no additive measure (访问人数 / 询盘人数 / TM咨询人数 are daily
-- uniques), so per account × day the number of channel rows must agree: the landing zone's LATEST row per
-- account × day × channel (latest loaded_at, then greatest source_sha256, then the later source_row, re-derived
-- independently of staging), staging, int_traffic_source_classified and fct_traffic_channel_daily. The daily
-- visitors of each channel are also compared (same rows must carry the same figure). Returns every day that differs.
with

landing as (

    select * from {{ source('alibaba', 'traffic_source') }}

),

landing_latest_rows as (

    select landing.*
    from landing
    where not exists (
        select 1
        from landing as newer
        where
            newer.account_id = landing.account_id
            and newer.stat_date = landing.stat_date
            and newer.channel = landing.channel
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

landing_days as (

    select
        account_id,
        stat_date,
        count(*) as row_count,
        sum(visitors) as visitors_check_sum
    from landing_latest_rows
    group by account_id, stat_date

),

staging_days as (

    select
        account_id,
        stat_date,
        count(*) as row_count,
        sum(visitors) as visitors_check_sum
    from {{ ref('stg_alibaba__traffic_source') }}
    group by account_id, stat_date

),

classified_days as (

    select
        account_id,
        stat_date,
        count(*) as row_count
    from {{ ref('int_traffic_source_classified') }}
    group by account_id, stat_date

),

fact_days as (

    select
        account_id,
        period_start as stat_date,
        count(*) as row_count,
        sum(visitors) as visitors_check_sum
    from {{ ref('fct_traffic_channel_daily') }}
    group by account_id, period_start

),

compared as (

    select
        coalesce(landing_days.account_id, staging_days.account_id) as account_id,
        coalesce(landing_days.stat_date, staging_days.stat_date) as stat_date,
        landing_days.row_count as landing_rows,
        staging_days.row_count as staging_rows,
        classified_days.row_count as classified_rows,
        fact_days.row_count as fact_rows,
        landing_days.visitors_check_sum as landing_visitors_check_sum,
        staging_days.visitors_check_sum as staging_visitors_check_sum,
        fact_days.visitors_check_sum as fact_visitors_check_sum
    from landing_days
    full outer join staging_days
        on
            landing_days.account_id = staging_days.account_id
            and landing_days.stat_date = staging_days.stat_date
    full outer join classified_days
        on
            coalesce(landing_days.account_id, staging_days.account_id) = classified_days.account_id
            and coalesce(landing_days.stat_date, staging_days.stat_date) = classified_days.stat_date
    full outer join fact_days
        on
            coalesce(landing_days.account_id, staging_days.account_id, classified_days.account_id)
            = fact_days.account_id
            and coalesce(landing_days.stat_date, staging_days.stat_date, classified_days.stat_date)
            = fact_days.stat_date

)

select * from compared
where
    landing_rows is distinct from staging_rows
    or staging_rows is distinct from classified_rows
    or classified_rows is distinct from fact_rows
    or landing_visitors_check_sum is distinct from staging_visitors_check_sum
    or staging_visitors_check_sum is distinct from fact_visitors_check_sum
