-- O06 单一产品/买家依赖 Dependence on one product or buyer (monthly, product or buyer).
-- For a complete calendar month M (last day on or before the account's order-data end, the latest export_end_date
-- of fct_order_lines) with at least min_orders TA orders, every product and every buyer (customer_key; named by the
-- CRM 客户编号 where known) whose share of M's TA amount exceeds max_share. Shares come from fct_order_lines; a
-- buyer's amount is the sum of its own order lines in M (no unique count is summed across months).
--   metric ta_amount_share; value = share; threshold = max_share; benchmark null
--   severity   share >= max_share + 0.3 high, >= max_share + 0.15 medium, else low
--   impact     usd per week: the amount above the tolerated share, (share - max_share) x M's amount x 7 / days in M
with

params as ({{ gscor_rule_params('O06', ['max_share', 'min_orders']) }}),

order_lines as (

    select * from {{ ref('fct_order_lines') }}

),

products as (

    select * from {{ ref('dim_product') }}

),

customers as (

    select * from {{ ref('dim_customer') }}

),

coverage as (

    select * from {{ ref('int_order_data_coverage') }}

),

months as (

    select
        order_lines.account_id,
        {{ gscor_month_start('order_lines.period_start') }} as month_start,
        -- DECIMAL sums, exact in any row order (a DOUBLE sum can print another whole dollar after a rebuild)
        cast(sum(order_lines.amount_usd) as {{ gscor_type('double') }}) as month_amount_usd,
        count(distinct order_lines.order_id) as month_orders
    from order_lines
    group by order_lines.account_id, {{ gscor_month_start('order_lines.period_start') }}

),

entity_amounts as (

    select
        account_id,
        {{ gscor_month_start('period_start') }} as month_start,
        'product' as entity_type,
        product_id as entity_key,
        cast(sum(amount_usd) as {{ gscor_type('double') }}) as amount_usd,
        count(distinct order_id) as orders
    from order_lines
    where product_id is not null
    group by account_id, {{ gscor_month_start('period_start') }}, product_id
    union all
    select
        account_id,
        {{ gscor_month_start('period_start') }} as month_start,
        'buyer' as entity_type,
        customer_key as entity_key,
        cast(sum(amount_usd) as {{ gscor_type('double') }}) as amount_usd,
        count(distinct order_id) as orders
    from order_lines
    where customer_key is not null
    group by account_id, {{ gscor_month_start('period_start') }}, customer_key

),

evaluated as (

    select
        entity_amounts.*,
        months.month_amount_usd,
        months.month_orders,
        {{ gscor_month_end('entity_amounts.month_start') }} as month_end,
        {{ gscor_ratio('entity_amounts.amount_usd', 'months.month_amount_usd') }} as amount_share,
        params.max_share
    from entity_amounts
    inner join months
        on
            entity_amounts.account_id = months.account_id
            and entity_amounts.month_start = months.month_start
    inner join params
        on entity_amounts.account_id = params.account_id
    inner join coverage
        on entity_amounts.account_id = coverage.account_id
    where
        {{ gscor_month_end('entity_amounts.month_start') }} <= coverage.data_end
        and months.month_orders >= params.min_orders

),

fired as (

    select
        evaluated.*,
        case
            when evaluated.entity_type = 'product' then evaluated.entity_key
            else coalesce(customers.crm_customer_id, evaluated.entity_key)
        end as entity_id,
        case
            when evaluated.entity_type = 'product' then coalesce(products.product_name, evaluated.entity_key)
            else
                coalesce(customers.crm_customer_id, 'buyer ' || substring(evaluated.entity_key, 1, 8))
                || coalesce(' (' || customers.country || ')', '')
        end as entity_label,
        case when evaluated.entity_type = 'product' then products.owner else customers.account_manager end
            as entity_owner,
        {{ gscor_days_between('evaluated.month_start', 'evaluated.month_end') }} + 1 as days_in_period,
        substring(cast(evaluated.month_start as {{ gscor_type('string') }}), 1, 7) as month_label
    from evaluated
    left join products
        on
            evaluated.entity_type = 'product'
            and evaluated.account_id = products.account_id
            and evaluated.entity_key = products.product_id
    left join customers
        on
            evaluated.entity_type = 'buyer'
            and evaluated.account_id = customers.account_id
            and evaluated.entity_key = customers.customer_key
    where evaluated.amount_share > evaluated.max_share

),

findings as (

    select
        account_id,
        'O06' as rule_id,
        'O' as stage,  -- noqa: RF04
        case
            when amount_share >= max_share + 0.3 then 'high'
            when amount_share >= max_share + 0.15 then 'medium'
            else 'low'
        end as severity,
        entity_type,
        entity_id,
        entity_label,
        'month' as period_grain,
        month_start as period_start,
        month_end as period_end,
        'ta_amount_share' as metric,
        amount_share as value,  -- noqa: RF04
        max_share as threshold,
        cast(null as {{ gscor_type('double') }}) as benchmark,
        (amount_share - max_share) * month_amount_usd * {{ gscor_divide('7.0', 'days_in_period') }} as impact_estimate,
        'usd' as impact_unit,
        case when entity_type = 'product' then 'DIVERSIFY_PRODUCTS' else 'DIVERSIFY_BUYERS' end as action_code,
        case
            when entity_type = 'product'
                then
                    '降低对单一产品的依赖：产品「' || entity_label || '」占 ' || month_label || ' 信保金额的 '
                    || {{ gscor_fmt_pct('amount_share') }} || '（US$' || {{ gscor_fmt_num('amount_usd') }} || ' / US$'
                    || {{ gscor_fmt_num('month_amount_usd') }} || '）；推广第二、第三梯队产品'
            else
                '降低对单一买家的依赖：买家「' || entity_label || '」占 ' || month_label || ' 信保金额的 '
                || {{ gscor_fmt_pct('amount_share') }} || '（US$' || {{ gscor_fmt_num('amount_usd') }} || ' / US$'
                || {{ gscor_fmt_num('month_amount_usd') }} || '）；开发更多同类买家'
        end as action_text_zh,
        case
            when entity_type = 'product'
                then
                    'Diversify away from one product: "' || entity_label || '" made '
                    || {{ gscor_fmt_pct('amount_share') }} || ' of ' || month_label || ' TA amount (US$'
                    || {{ gscor_fmt_num('amount_usd') }} || ' of US$' || {{ gscor_fmt_num('month_amount_usd') }}
                    || '); promote the next products in line'
            else
                'Diversify away from one buyer: ' || entity_label || ' made '
                || {{ gscor_fmt_pct('amount_share') }} || ' of ' || month_label || ' TA amount (US$'
                || {{ gscor_fmt_num('amount_usd') }} || ' of US$' || {{ gscor_fmt_num('month_amount_usd') }}
                || '); win more buyers like them'
        end as action_text_en,
        entity_owner as owner,  -- noqa: RF04
        {{ gscor_fmt_num('orders') }} || ' of ' || {{ gscor_fmt_num('month_orders') }} || ' TA orders'
            as evidence_detail
    from fired

)

{{ gscor_finding_record('findings') }}
