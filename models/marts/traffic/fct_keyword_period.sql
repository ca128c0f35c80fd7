{{ config(
    materialized='incremental',
    on_schema_change='fail',
    **gscor_incremental_config(['account_id', 'period_grain', 'period_start', 'period_end'])
) }}
-- G · 流量关键词: one row per account × period × keyword ROW of the export (the latest load of the period, as
-- staged). A keyword the export lists twice (the real export: adidas, giy nam, tnis masculino, zapatillas nios)
-- keeps both rows: the grain includes source_row; keyword_key joins dim_keyword.
with

keyword_rows as (

    select * from {{ ref('stg_alibaba__keyword_performance') }}

),

keywords as (

    select
        keyword_key,
        is_brand
    from {{ ref('dim_keyword') }}

),

keyword_rows_keyed as (

    select
        keyword_rows.*,
        {{ gscor_normalise_text('keyword_rows.keyword') }} as keyword_normalised,
        {{ gscor_surrogate_key(['keyword_rows.account_id', gscor_normalise_text('keyword_rows.keyword')]) }}
            as keyword_key
    from keyword_rows

),

keyword_rows_counted as (

    select
        keyword_rows_keyed.*,
        count(*) over (
            partition by
                keyword_rows_keyed.account_id,
                keyword_rows_keyed.period_start,
                keyword_rows_keyed.period_end,
                keyword_rows_keyed.keyword_key
        ) as keyword_rows_in_period
    from keyword_rows_keyed

),

final as (

    select
        keyword_rows_counted.keyword_performance_sk as keyword_period_sk,
        keyword_rows_counted.account_id,
        keyword_rows_counted.period_grain,
        keyword_rows_counted.period_start,
        keyword_rows_counted.period_end,
        keyword_rows_counted.source_row,
        keyword_rows_counted.keyword_key,
        keyword_rows_counted.keyword,
        keyword_rows_counted.keyword_normalised,
        keyword_rows_counted.keyword_rows_in_period,
        keyword_rows_counted.keyword_rows_in_period > 1 as is_repeated_in_export,
        coalesce(keywords.is_brand, false) as is_brand,
        keyword_rows_counted.impressions,
        keyword_rows_counted.clicks,
        keyword_rows_counted.ctr as ctr_exported,
        {{ gscor_ratio('keyword_rows_counted.clicks', 'keyword_rows_counted.impressions') }} as ctr,
        keyword_rows_counted.p4p_impressions,
        keyword_rows_counted.p4p_clicks,
        keyword_rows_counted.p4p_promoted_duration,
        keyword_rows_counted.top10_avg_impressions,
        keyword_rows_counted.top10_avg_clicks,
        {{ gscor_ratio('keyword_rows_counted.top10_avg_clicks', 'keyword_rows_counted.top10_avg_impressions') }}
            as top10_avg_ctr,
        keyword_rows_counted.keyword_index,
        keyword_rows_counted.seller_scale_index,
        coalesce(keyword_rows_counted.impressions > 0 and keyword_rows_counted.clicks = 0, false)
            as is_zero_click_with_impressions,
        keyword_rows_counted.source_file,
        keyword_rows_counted.source_sha256,
        keyword_rows_counted.loaded_at
    from keyword_rows_counted
    left join keywords
        on keyword_rows_counted.keyword_key = keywords.keyword_key

)

select final.* from final
{{ gscor_only_changed_periods('final', keys=['account_id', 'period_grain', 'period_start', 'period_end']) }}
