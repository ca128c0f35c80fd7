{{ config(
    materialized='incremental',
    on_schema_change='fail',
    **gscor_incremental_config(['account_id', 'period_grain', 'period_start'])
) }}
-- G · 流量来源 by day: one row per account × day × 流量渠道 as exported, with the channel class of the seed
-- channel_map. 访问人数 / 询盘人数 / TM咨询人数 are the day's unique buyers of that channel: never add them across
-- days (a longer period's figure is a *_daily_uv_sum, see rpt_traffic_source_weekly).
with

traffic_sources as (

    select * from {{ ref('int_traffic_source_classified') }}

),

final as (

    select
        traffic_source_sk as traffic_channel_daily_sk,
        account_id,
        'day' as period_grain,
        stat_date as period_start,
        stat_date as period_end,
        stat_date,
        channel,
        channel_normalised,
        channel_class,
        channel_name_zh,
        channel_name_en,
        is_unmapped_channel,
        visitors,
        inquiry_buyers,
        tm_buyers,
        opportunity_rate,
        source_file,
        source_sha256,
        source_row,
        loaded_at
    from traffic_sources

)

select final.* from final
{{ gscor_only_changed_periods('final') }}
