-- Reconciliation (O): per account and China-time order day, the landing orders (信保订单) of the latest load only
-- (latest load per account × 订单号 × 产品ID, as staging de-duplicates) = staging = fct_order_lines, for the
-- number of order lines, the quantity and the amount in USD. Returns the days where any of them differ.
with

landing_ranked as (

    select
        account_id,
        ordered_at,
        quantity,
        amount_usd,
        row_number() over (
            partition by account_id, order_id, product_id
            order by loaded_at desc, source_sha256 desc, source_row desc
        ) as load_rank
    from {{ source('alibaba', 'orders') }}

),

totals as (

    select
        'landing' as layer,
        account_id,
        cast(ordered_at as date) as event_day,
        count(*) as order_lines,
        coalesce(sum(quantity), 0) as quantity,
        coalesce(sum(amount_usd), 0) as amount_usd
    from landing_ranked
    where load_rank = 1
    group by account_id, cast(ordered_at as date)
    union all
    select
        'staging' as layer,
        account_id,
        cast(ordered_at as date) as event_day,
        count(*) as order_lines,
        coalesce(sum(quantity), 0) as quantity,
        coalesce(sum(amount_usd), 0) as amount_usd
    from {{ ref('stg_alibaba__orders') }}
    group by account_id, cast(ordered_at as date)
    union all
    select
        'fact' as layer,
        account_id,
        period_start as event_day,
        count(*) as order_lines,
        coalesce(sum(quantity), 0) as quantity,
        coalesce(sum(amount_usd), 0) as amount_usd
    from {{ ref('fct_order_lines') }}
    group by account_id, period_start

),

compared as (

    select
        account_id,
        event_day,
        sum(case when layer = 'landing' then order_lines else 0 end) as landing_lines,
        sum(case when layer = 'staging' then order_lines else 0 end) as staging_lines,
        sum(case when layer = 'fact' then order_lines else 0 end) as fact_lines,
        sum(case when layer = 'landing' then quantity else 0 end) as landing_quantity,
        sum(case when layer = 'staging' then quantity else 0 end) as staging_quantity,
        sum(case when layer = 'fact' then quantity else 0 end) as fact_quantity,
        sum(case when layer = 'landing' then amount_usd else 0 end) as landing_amount_usd,
        sum(case when layer = 'staging' then amount_usd else 0 end) as staging_amount_usd,
        sum(case when layer = 'fact' then amount_usd else 0 end) as fact_amount_usd
    from totals
    group by account_id, event_day

)

select * from compared
where
    landing_lines <> staging_lines
    or staging_lines <> fact_lines
    or abs(landing_quantity - staging_quantity) > 0.001
    or abs(staging_quantity - fact_quantity) > 0.001
    or abs(landing_amount_usd - staging_amount_usd) > 0.005
    or abs(staging_amount_usd - fact_amount_usd) > 0.005
