-- Per account, the span of its order data (信保订单 list, fct_order_lines): the first and last order date, the
-- calendar month of the first order, and the order-data end — the latest export_end_date of the loaded order
-- lists (a list exported on day D covers orders up to D, even when its last order is older). export_end_date is
-- the list's as-of date set at ingest (gscor/ingest/periods.py): the date in its file name, else --as-of, else
-- the load date. Every O and R rule
-- judges only periods inside this span: a month or window ending after data_end is not complete yet, and one
-- starting before first_month_start lies before the loaded history.
with

order_lines as (

    select * from {{ ref('fct_order_lines') }}

),

coverage as (

    select
        account_id,
        min(period_start) as first_order_date,
        max(period_start) as last_order_date,
        {{ gscor_month_start('min(period_start)') }} as first_month_start,
        max(export_end_date) as data_end
    from order_lines
    group by account_id

)

select * from coverage
