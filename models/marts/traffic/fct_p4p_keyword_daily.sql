{{ config(
    materialized='incremental',
    on_schema_change='fail',
    **gscor_incremental_config(['account_id', 'period_grain', 'period_start'])
) }}
-- 外贸直通车 关键词报表 (standard promotion), one row per account × day × 推广计划 × keyword as staged (latest load
-- wins). Spend stays in its original currency and is converted with the latest reference rate valid on the
-- day (int_fx_rates_ranged); a missing rate gives NULL USD/CNY amounts, never 0. Ratios are NULL when their
-- denominator is 0 or unknown.
with

keyword_days as (

    select * from {{ ref('stg_alibaba__p4p_keyword_daily') }}

),

fx_rates as (

    select * from {{ ref('int_fx_rates_ranged') }}

),

keyword_days_currency as (

    select
        *,
        -- the export contract: P4P money is CNY unless the report says otherwise
        upper(trim(coalesce(spend_currency, 'CNY'))) as spend_currency_code,
        upper(trim(coalesce(bid_currency, spend_currency, 'CNY'))) as bid_currency_code
    from keyword_days

),

keyword_days_rated as (

    select
        keyword_days_currency.*,
        spend_rate.rate_to_usd as spend_rate_to_usd,
        bid_rate.rate_to_usd as bid_rate_to_usd,
        cny_rate.rate_to_usd as cny_rate_to_usd
    from keyword_days_currency
    left join fx_rates as spend_rate
        on
            keyword_days_currency.spend_currency_code = spend_rate.currency
            and keyword_days_currency.stat_date >= spend_rate.valid_from
            and (spend_rate.valid_to is null or keyword_days_currency.stat_date < spend_rate.valid_to)
    left join fx_rates as bid_rate
        on
            keyword_days_currency.bid_currency_code = bid_rate.currency
            and keyword_days_currency.stat_date >= bid_rate.valid_from
            and (bid_rate.valid_to is null or keyword_days_currency.stat_date < bid_rate.valid_to)
    left join fx_rates as cny_rate
        on
            cny_rate.currency = 'CNY'
            and keyword_days_currency.stat_date >= cny_rate.valid_from
            and (cny_rate.valid_to is null or keyword_days_currency.stat_date < cny_rate.valid_to)

),

keyword_days_converted as (

    select
        *,
        cast(spend * spend_rate_to_usd as decimal(18, 4)) as spend_usd_exact,
        case
            when spend_currency_code = 'CNY' then cast(spend as decimal(18, 4))
            else cast(spend * spend_rate_to_usd / cny_rate_to_usd as decimal(18, 4))
        end as spend_cny_exact
    from keyword_days_rated

),

final as (

    select
        p4p_keyword_daily_sk,
        account_id,
        'day' as period_grain,
        stat_date as period_start,
        stat_date as period_end,
        stat_date,
        {{ gscor_week_start('stat_date') }} as week_start,
        campaign,
        keyword,
        {{ gscor_normalise_text('keyword') }} as keyword_normalised,
        {{ gscor_surrogate_key(['account_id', gscor_normalise_text('keyword')]) }} as keyword_key,
        bid,
        bid_currency_code as bid_currency,
        cast(bid * bid_rate_to_usd as decimal(18, 4)) as bid_usd,
        promotion_score,
        avg_rank,
        impressions,
        clicks,
        cast(clicks as double) / nullif(impressions, 0) as ctr,
        ctr as ctr_reported,
        spend,
        spend_currency_code as spend_currency,
        spend_rate_to_usd as fx_rate_to_usd,
        spend_usd_exact as spend_usd,
        spend_cny_exact as spend_cny,
        cast({{ gscor_divide('spend', 'nullif(clicks, 0)') }} as decimal(18, 4)) as cpc,
        cast({{ gscor_divide('spend_usd_exact', 'nullif(clicks, 0)') }} as decimal(18, 4)) as cpc_usd,
        avg_cpc as avg_cpc_reported,
        inquiries,
        tm_inquiries,
        cast({{ gscor_divide('spend', 'nullif(inquiries, 0)') }} as decimal(18, 4)) as cost_per_inquiry,
        cast({{ gscor_divide('spend_usd_exact', 'nullif(inquiries, 0)') }} as decimal(18, 4)) as cost_per_inquiry_usd,
        source_timezone,
        source_file,
        source_sha256,
        source_row,
        loaded_at
    from keyword_days_converted

)

select final.* from final
{{ gscor_only_changed_periods('final') }}
