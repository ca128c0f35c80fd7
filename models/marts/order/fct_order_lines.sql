{{ config(
    materialized='incremental',
    on_schema_change='fail',
    **gscor_incremental_config(['account_id', 'period_grain', 'period_start'])
) }}
-- O: one row per Trade Assurance order (信保订单) × product line. Period: the China-time date of 下单时间,
-- period_grain 'day'. Unit cost: the product catalog snapshot in force on the order date (as-of rule of
-- int_product_catalog_versioned: latest snapshot on or before the date, else the earliest one, flagged
-- unit_cost_is_backfilled); margin is NULL, never 0, when the cost is unknown.
-- Open / overdue is judged at the end of the export that delivered the row (its period_end), so a row's flags
-- never depend on later loads. loaded_at is the newest of the order row, the catalog snapshot it used and the
-- buyer's events (int_buyers_unified): a later load of the buyer's history recomputes the row's day.
with

identifiers as (

    select * from {{ ref('int_buyer_identifiers_mapped') }}

),

buyers as (

    select * from {{ ref('int_buyers_unified') }}

),

catalog_versions as (

    select * from {{ ref('int_product_catalog_versioned') }}

),

order_lines as (

    select
        orders_sk as order_line_key,
        account_id,
        order_id,
        ordered_at,
        cast(ordered_at as date) as order_date,
        {{ gscor_buyer_ref('buyer_name_key', 'null') }} as buyer_ref,
        buyer_country,
        product_id,
        quantity,
        amount_usd,
        amount_usd_currency,
        order_status,
        promised_ship_date,
        actual_ship_date,
        is_sample,
        period_end as export_end_date,
        source_sha256,
        source_row,
        loaded_at
    from {{ ref('stg_alibaba__orders') }}

),

customer_orders_ranked as (

    select
        order_lines.order_line_key,
        identifiers.customer_key,
        identifiers.buyer_key,
        dense_rank() over (
            partition by order_lines.account_id, identifiers.buyer_key
            order by order_lines.ordered_at, order_lines.order_id
        ) as customer_order_seq
    from order_lines
    left join identifiers
        on
            order_lines.account_id = identifiers.account_id
            and order_lines.buyer_ref = identifiers.buyer_ref

),

costed as (

    select
        order_lines.*,
        customer_orders_ranked.customer_key,
        customer_orders_ranked.buyer_key,
        customer_orders_ranked.customer_order_seq,
        catalog_versions.unit_cost_usd,
        catalog_versions.snapshot_date as cost_snapshot_date,
        catalog_versions.loaded_at as cost_loaded_at
    from order_lines
    inner join customer_orders_ranked
        on order_lines.order_line_key = customer_orders_ranked.order_line_key
    left join catalog_versions
        on
            order_lines.account_id = catalog_versions.account_id
            and order_lines.product_id = catalog_versions.product_id
            and order_lines.order_date between catalog_versions.valid_from and catalog_versions.valid_to

),

final as (

    select
        costed.order_line_key,
        costed.account_id,
        'day' as period_grain,
        costed.order_date as period_start,
        costed.order_date as period_end,
        costed.order_id,
        costed.ordered_at,
        costed.customer_key,
        costed.product_id,
        {{ gscor_surrogate_key(['costed.account_id', 'costed.product_id']) }} as product_key,
        costed.buyer_country as country,
        costed.quantity,
        costed.amount_usd,
        costed.amount_usd_currency as amount_currency,
        costed.order_status,
        costed.promised_ship_date,
        costed.actual_ship_date,
        costed.actual_ship_date is not null as is_shipped,
        case
            when costed.actual_ship_date is not null and costed.promised_ship_date is not null
                then {{ gscor_days_between('costed.promised_ship_date', 'costed.actual_ship_date') }}
        end as days_late,
        case
            when costed.actual_ship_date is not null and costed.promised_ship_date is not null
                then costed.actual_ship_date > costed.promised_ship_date
        end as is_shipped_late,
        coalesce(
            costed.actual_ship_date is null
            and costed.promised_ship_date < costed.export_end_date
            and coalesce(costed.order_status, '') not in ('已完成', '已关闭', '已取消', '交易关闭', '已收货'),
            false
        ) as is_open_and_overdue,
        costed.export_end_date,
        coalesce(costed.is_sample, false) as is_sample_order,
        costed.unit_cost_usd,
        costed.cost_snapshot_date,
        costed.cost_snapshot_date > costed.order_date as unit_cost_is_backfilled,
        costed.quantity * costed.unit_cost_usd as cost_usd,
        costed.amount_usd - costed.quantity * costed.unit_cost_usd as margin_usd,
        (costed.amount_usd - costed.quantity * costed.unit_cost_usd) / nullif(costed.amount_usd, 0) as margin_rate,
        case when costed.buyer_key is not null then costed.customer_order_seq = 1 end as is_first_order_of_customer,
        case when costed.buyer_key is not null then costed.customer_order_seq end as customer_order_number,
        case
            when buyers.first_inquiry_at is not null
                then {{ gscor_days_between('cast(buyers.first_inquiry_at as date)', 'costed.order_date') }}
        end as days_since_first_inquiry,
        costed.source_sha256,
        costed.source_row,
        -- the newest load the row depends on: its order row, the catalog snapshot of its cost, and the buyer's
        -- history (customer_order_number, is_first_order_of_customer, days_since_first_inquiry change when an
        -- earlier order or inquiry of the same buyer lands later); greatest() skips NULLs
        greatest(costed.loaded_at, costed.cost_loaded_at, buyers.loaded_at) as loaded_at
    from costed
    left join buyers
        on
            costed.account_id = buyers.account_id
            and costed.buyer_key = buyers.buyer_key

)

select final.* from final
{{ gscor_only_changed_periods('final') }}
