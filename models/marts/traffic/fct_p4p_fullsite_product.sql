{{ config(
    materialized='incremental',
    on_schema_change='fail',
    **gscor_incremental_config(['account_id', 'plan_name', 'period_grain', 'period_start', 'period_end'])
) }}
-- 全站推广报表 · 产品报告 (full-site promotion), one row per account × plan × report period × product, from the
-- latest load of each (account, plan, period) as staged. Spend keeps its original currency and is converted
-- with the latest reference rate valid on the period's LAST day (int_fx_rates_ranged); no rate → NULL.
with

plan_products as (

    select * from {{ ref('stg_alibaba__p4p_fullsite_product') }}

),

fx_rates as (

    select * from {{ ref('int_fx_rates_ranged') }}

),

plan_products_currency as (

    select
        *,
        -- the export contract: P4P money is CNY unless the report says otherwise
        upper(trim(coalesce(spend_currency, 'CNY'))) as spend_currency_code
    from plan_products

),

plan_products_rated as (

    select
        plan_products_currency.*,
        spend_rate.rate_to_usd as spend_rate_to_usd,
        cny_rate.rate_to_usd as cny_rate_to_usd
    from plan_products_currency
    left join fx_rates as spend_rate
        on
            plan_products_currency.spend_currency_code = spend_rate.currency
            and plan_products_currency.period_end >= spend_rate.valid_from
            and (spend_rate.valid_to is null or plan_products_currency.period_end < spend_rate.valid_to)
    left join fx_rates as cny_rate
        on
            cny_rate.currency = 'CNY'
            and plan_products_currency.period_end >= cny_rate.valid_from
            and (cny_rate.valid_to is null or plan_products_currency.period_end < cny_rate.valid_to)

),

plan_products_converted as (

    select
        *,
        cast(spend * spend_rate_to_usd as decimal(18, 4)) as spend_usd_exact,
        case
            when spend_currency_code = 'CNY' then cast(spend as decimal(18, 4))
            else cast(spend * spend_rate_to_usd / cny_rate_to_usd as decimal(18, 4))
        end as spend_cny_exact
    from plan_products_rated

),

final as (

    select
        p4p_fullsite_product_sk,
        account_id,
        period_grain,
        period_start,
        period_end,
        {{ gscor_week_start('period_start') }} as week_start,
        plan_name,
        product_id,
        {{ gscor_surrogate_key(['account_id', 'product_id']) }} as product_key,
        product_model,
        product_info,
        impressions,
        clicks,
        cast(clicks as double) / nullif(impressions, 0) as ctr,
        ctr as ctr_reported,
        inquiries,
        tm_inquiries,
        opportunities,
        orders,
        spend,
        spend_currency_code as spend_currency,
        spend_rate_to_usd as fx_rate_to_usd,
        spend_usd_exact as spend_usd,
        spend_cny_exact as spend_cny,
        cast({{ gscor_divide('spend', 'nullif(clicks, 0)') }} as decimal(18, 4)) as cpc,
        cast({{ gscor_divide('spend_usd_exact', 'nullif(clicks, 0)') }} as decimal(18, 4)) as cpc_usd,
        cast({{ gscor_divide('spend_usd_exact', 'nullif(inquiries, 0)') }} as decimal(18, 4)) as cost_per_inquiry_usd,
        source_timezone,
        source_file,
        source_sha256,
        source_row,
        loaded_at
    from plan_products_converted

)

select final.* from final
{{ gscor_only_changed_periods(
    'final',
    keys=['account_id', 'plan_name', 'period_grain', 'period_start', 'period_end']
) }}
