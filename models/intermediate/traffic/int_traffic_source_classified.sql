-- 流量来源 rows as staged (latest load per account × day × channel) with the channel's analysis class from the
-- seed channel_map, matched on the normalised channel text. A value missing from the seed is classed 'other'
-- and flagged is_unmapped_channel so a rule or a person can add it to the seed.
with

traffic_source as (

    select * from {{ ref('stg_alibaba__traffic_source') }}

),

channel_map as (

    select * from {{ ref('channel_map') }}

),

traffic_source_normalised as (

    select
        traffic_source.*,
        {{ gscor_normalise_text('traffic_source.channel') }} as channel_normalised
    from traffic_source

),

classified as (

    select
        traffic_source_normalised.traffic_source_sk,
        traffic_source_normalised.account_id,
        traffic_source_normalised.report_type,
        traffic_source_normalised.period_start,
        traffic_source_normalised.period_end,
        traffic_source_normalised.period_grain,
        traffic_source_normalised.source_file,
        traffic_source_normalised.source_sha256,
        traffic_source_normalised.source_row,
        traffic_source_normalised.loaded_at,
        traffic_source_normalised.source_timezone,
        traffic_source_normalised.stat_date,
        traffic_source_normalised.channel,
        traffic_source_normalised.channel_normalised,
        coalesce(channel_map.channel_class, 'other') as channel_class,
        coalesce(channel_map.channel_name_zh, traffic_source_normalised.channel) as channel_name_zh,
        coalesce(channel_map.channel_name_en, traffic_source_normalised.channel) as channel_name_en,
        channel_map.channel_key is null as is_unmapped_channel,
        traffic_source_normalised.visitors,
        traffic_source_normalised.inquiry_buyers,
        traffic_source_normalised.tm_buyers,
        traffic_source_normalised.opportunity_rate
    from traffic_source_normalised
    left join channel_map
        on traffic_source_normalised.channel_normalised = channel_map.channel_key

)

select * from classified
