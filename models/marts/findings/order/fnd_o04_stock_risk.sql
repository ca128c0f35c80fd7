-- O04 库存风险 Stock risk (weekly, product).
-- Evaluated for every week (Sunday-Saturday) that ends on or before the account's order-data end (the latest
-- export_end_date of fct_order_lines), whose demand window lies in the loaded order history, and in which a product
-- catalog snapshot (产品管理 库存) was taken: stock is only known on a snapshot date, so a week without one is not
-- judged (int_product_catalog_versioned; the latest snapshot of the week wins).
--   demand        TA order quantity of the product over the demand_window_weeks weeks ending with the week
--                 (fct_order_lines, order date); weekly demand = that quantity / demand_window_weeks
--   top-N         the top_n products by that quantity (ties: product id)
--   fires         a top-N product with stock < min_weeks_of_stock weeks of demand
--   metric weeks_of_stock; value = stock / weekly demand; threshold = min_weeks_of_stock;
--   benchmark = weekly demand (units)
--   severity   weeks of stock < 0.25 x min high, < 0.5 x min medium, else low
--   impact     usd per week: the units short of the target cover, spread over its weeks, at the window's average
--              unit price: (min_weeks x weekly demand - stock) / min_weeks x (amount / quantity)
with

params as ({{ gscor_rule_params('O04', ['top_n', 'min_weeks_of_stock', 'demand_window_weeks']) }}),

order_lines as (

    select * from {{ ref('fct_order_lines') }}

),

catalog_versions as (

    select * from {{ ref('int_product_catalog_versioned') }}

),

products as (

    select * from {{ ref('dim_product') }}

),

coverage as (

    select * from {{ ref('int_order_data_coverage') }}

),

stock_snapshots as (

    select
        catalog_versions.account_id,
        catalog_versions.product_id,
        catalog_versions.snapshot_date,
        catalog_versions.stock_qty,
        {{ gscor_week_end('catalog_versions.snapshot_date') }} as week_end,
        row_number() over (
            partition by
                catalog_versions.account_id,
                catalog_versions.product_id,
                {{ gscor_week_end('catalog_versions.snapshot_date') }}
            order by catalog_versions.snapshot_date desc
        ) as snapshot_rank
    from catalog_versions
    where catalog_versions.stock_qty is not null

),

stock_weeks as (

    select
        stock_snapshots.account_id,
        stock_snapshots.product_id,
        stock_snapshots.week_end,
        stock_snapshots.snapshot_date,
        stock_snapshots.stock_qty,
        {{ gscor_add_days('1 - 7 * cast(params.demand_window_weeks as integer)', 'stock_snapshots.week_end') }}
            as window_start,
        params.top_n,
        params.min_weeks_of_stock,
        params.demand_window_weeks
    from stock_snapshots
    inner join params
        on stock_snapshots.account_id = params.account_id
    inner join coverage
        on stock_snapshots.account_id = coverage.account_id
    where
        stock_snapshots.week_end <= coverage.data_end
        and stock_snapshots.snapshot_rank = 1

),

evaluated_weeks as (

    select distinct
        stock_weeks.account_id,
        stock_weeks.week_end,
        stock_weeks.window_start,
        stock_weeks.top_n,
        stock_weeks.min_weeks_of_stock,
        stock_weeks.demand_window_weeks
    from stock_weeks
    inner join coverage
        on stock_weeks.account_id = coverage.account_id
    where stock_weeks.window_start >= coverage.first_month_start

),

demand as (

    select
        evaluated_weeks.account_id,
        evaluated_weeks.week_end,
        evaluated_weeks.window_start,
        order_lines.product_id,
        sum(order_lines.quantity) as quantity,
        -- DECIMAL sum: exact in any row order
        cast(sum(order_lines.amount_usd) as {{ gscor_type('double') }}) as amount_usd,
        count(distinct order_lines.order_id) as orders,
        row_number() over (
            partition by evaluated_weeks.account_id, evaluated_weeks.week_end
            order by sum(order_lines.quantity) desc, order_lines.product_id
        ) as demand_rank
    from evaluated_weeks
    inner join order_lines
        on
            evaluated_weeks.account_id = order_lines.account_id
            and order_lines.period_start between evaluated_weeks.window_start and evaluated_weeks.week_end
    where order_lines.quantity > 0
    group by evaluated_weeks.account_id, evaluated_weeks.week_end, evaluated_weeks.window_start, order_lines.product_id

),

evaluated as (

    select
        demand.account_id,
        demand.week_end,
        demand.window_start,
        demand.product_id,
        demand.quantity,
        demand.amount_usd,
        demand.orders,
        demand.demand_rank,
        stock_weeks.stock_qty,
        stock_weeks.snapshot_date,
        stock_weeks.min_weeks_of_stock,
        stock_weeks.demand_window_weeks,
        demand.quantity / stock_weeks.demand_window_weeks as weekly_demand,
        stock_weeks.stock_qty / (demand.quantity / stock_weeks.demand_window_weeks) as weeks_of_stock
    from demand
    inner join stock_weeks
        on
            demand.account_id = stock_weeks.account_id
            and demand.product_id = stock_weeks.product_id
            and demand.week_end = stock_weeks.week_end
    where demand.demand_rank <= stock_weeks.top_n

),

fired as (

    select
        evaluated.*,
        coalesce(products.product_name, evaluated.product_id) as product_label,
        products.owner as product_owner,
        greatest(evaluated.min_weeks_of_stock * evaluated.weekly_demand - evaluated.stock_qty, 0)
        / evaluated.min_weeks_of_stock
        * coalesce({{ gscor_divide('evaluated.amount_usd', 'nullif(evaluated.quantity, 0)') }}, 0) as impact_per_week
    from evaluated
    left join products
        on
            evaluated.account_id = products.account_id
            and evaluated.product_id = products.product_id
    where evaluated.weeks_of_stock < evaluated.min_weeks_of_stock

),

findings as (

    select
        account_id,
        'O04' as rule_id,
        'O' as stage,  -- noqa: RF04
        case
            when weeks_of_stock < 0.25 * min_weeks_of_stock then 'high'
            when weeks_of_stock < 0.5 * min_weeks_of_stock then 'medium'
            else 'low'
        end as severity,
        'product' as entity_type,
        product_id as entity_id,
        product_label as entity_label,
        'week' as period_grain,
        {{ gscor_add_days('-6', 'week_end') }} as period_start,
        week_end as period_end,
        'weeks_of_stock' as metric,
        weeks_of_stock as value,  -- noqa: RF04
        min_weeks_of_stock as threshold,
        weekly_demand as benchmark,
        impact_per_week as impact_estimate,
        'usd' as impact_unit,
        'REPLENISH_STOCK' as action_code,
        '补货产品「' || product_label || '」：库存 ' || {{ gscor_fmt_num('stock_qty') }} || '，近 '
        || {{ gscor_fmt_num('demand_window_weeks') }} || ' 周订单量 ' || {{ gscor_fmt_num('quantity') }}
        || '（每周约 ' || {{ gscor_fmt_num('weekly_demand', 1) }} || '），仅够 '
        || {{ gscor_fmt_num('weeks_of_stock', 1) }} || ' 周，目标至少 ' || {{ gscor_fmt_num('min_weeks_of_stock') }}
        || ' 周' as action_text_zh,
        'Replenish "' || product_label || '": stock ' || {{ gscor_fmt_num('stock_qty') }} || ' against '
        || {{ gscor_fmt_num('quantity') }}
        || ' units ordered in the last '
        || {{ gscor_fmt_num('demand_window_weeks') }}
        || ' weeks (' || {{ gscor_fmt_num('weekly_demand', 1) }} || ' a week): '
        || {{ gscor_fmt_num('weeks_of_stock', 1) }} || ' weeks of cover vs at least '
        || {{ gscor_fmt_num('min_weeks_of_stock') }} as action_text_en,
        product_owner as owner,  -- noqa: RF04
        'demand rank ' || {{ gscor_fmt_num('demand_rank') }} || ', ' || {{ gscor_fmt_num('orders') }}
        || ' orders since ' || cast(window_start as {{ gscor_type('string') }}) || '; stock as of '
        || cast(snapshot_date as {{ gscor_type('string') }}) as evidence_detail
    from fired

)

{{ gscor_finding_record('findings') }}
