-- O05 利润率低 Low margin (monthly, product).
-- For a complete calendar month M (last day on or before the account's order-data end, the latest export_end_date
-- of fct_order_lines), the top_n products by TA amount of the month (all lines; ties: product id) whose margin
-- over the lines with a known unit cost (fct_order_lines: catalog 成本价 in force on the order date) is below
-- min_margin. A product without any costed line in M is not judged.
--   margin_rate = sum(margin_usd) / sum(amount_usd of the costed lines)
--   metric margin_rate; value = margin_rate; threshold = min_margin; benchmark = the month's store margin rate
--   (rpt_ta_orders_monthly.margin_rate, costed lines)
--   severity   margin_rate < 0 high, < min_margin / 2 medium, else low
--   impact     usd per week: the margin missing to reach min_margin on the costed amount,
--              (min_margin x costed amount - margin) x 7 / days in M
with

params as ({{ gscor_rule_params('O05', ['top_n', 'min_margin']) }}),

order_lines as (

    select * from {{ ref('fct_order_lines') }}

),

monthly as (

    select * from {{ ref('rpt_ta_orders_monthly') }}

),

products as (

    select * from {{ ref('dim_product') }}

),

coverage as (

    select * from {{ ref('int_order_data_coverage') }}

),

product_months as (

    select
        account_id,
        {{ gscor_month_start('period_start') }} as month_start,
        product_id,
        -- the sums are DECIMAL, exact in any order: a DOUBLE sum can land on either side of x.5 depending on the
        -- order the rows come in (an incremental build vs a full refresh) and print US$11,969 or US$11,970
        cast(sum(amount_usd) as {{ gscor_type('double') }}) as amount_usd,
        cast(sum(case when unit_cost_usd is not null then amount_usd end) as {{ gscor_type('double') }})
            as costed_amount_usd,
        cast(sum(cast(margin_usd as decimal(18, 4))) as {{ gscor_type('double') }}) as margin_usd,
        sum(quantity) as quantity,
        count(distinct order_id) as orders,
        row_number() over (
            partition by account_id, {{ gscor_month_start('period_start') }}
            order by sum(amount_usd) desc, product_id
        ) as amount_rank
    from order_lines
    group by account_id, {{ gscor_month_start('period_start') }}, product_id

),

evaluated as (

    select
        product_months.*,
        {{ gscor_month_end('product_months.month_start') }} as month_end,
        {{ gscor_ratio('product_months.margin_usd', 'product_months.costed_amount_usd') }} as margin_rate,
        params.min_margin,
        monthly.margin_rate as store_margin_rate
    from product_months
    inner join params
        on product_months.account_id = params.account_id
    inner join coverage
        on product_months.account_id = coverage.account_id
    left join monthly
        on
            product_months.account_id = monthly.account_id
            and product_months.month_start = monthly.period_start
    where
        {{ gscor_month_end('product_months.month_start') }} <= coverage.data_end
        and product_months.amount_rank <= params.top_n
        and product_months.costed_amount_usd > 0

),

fired as (

    select
        evaluated.*,
        coalesce(products.product_name, evaluated.product_id) as product_label,
        products.owner as product_owner,
        {{ gscor_days_between('evaluated.month_start', 'evaluated.month_end') }} + 1 as days_in_period,
        substring(cast(evaluated.month_start as {{ gscor_type('string') }}), 1, 7) as month_label
    from evaluated
    left join products
        on
            evaluated.account_id = products.account_id
            and evaluated.product_id = products.product_id
    where evaluated.margin_rate < evaluated.min_margin

),

findings as (

    select
        account_id,
        'O05' as rule_id,
        'O' as stage,  -- noqa: RF04
        case
            when margin_rate < 0 then 'high'
            when margin_rate < min_margin / 2 then 'medium'
            else 'low'
        end as severity,
        'product' as entity_type,
        product_id as entity_id,
        product_label as entity_label,
        'month' as period_grain,
        month_start as period_start,
        month_end as period_end,
        'margin_rate' as metric,
        margin_rate as value,  -- noqa: RF04
        min_margin as threshold,
        store_margin_rate as benchmark,
        greatest(min_margin * costed_amount_usd - margin_usd, 0) * {{ gscor_divide(
            '7.0',
            'days_in_period'
        ) }} as impact_estimate,
        'usd' as impact_unit,
        'REPRICE_PRODUCT' as action_code,
        '重新核价产品「' || product_label || '」：' || month_label || ' 信保金额 US$' || {{ gscor_fmt_num('amount_usd') }}
        || '（第 ' || {{ gscor_fmt_num('amount_rank') }} || ' 名），毛利率 ' || {{ gscor_fmt_pct('margin_rate') }}
        || '，低于 ' || {{ gscor_fmt_pct('min_margin', 0) }} || '；调价或降低成本' as action_text_zh,
        'Reprice "' || product_label || '": US$' || {{ gscor_fmt_num('amount_usd') }} || ' of TA orders in '
        || month_label || ' (rank ' || {{ gscor_fmt_num('amount_rank') }} || ') at a margin of '
        || {{ gscor_fmt_pct('margin_rate') }} || ', below ' || {{ gscor_fmt_pct('min_margin', 0) }}
        || '; raise the price or cut the cost' as action_text_en,
        product_owner as owner,  -- noqa: RF04
        {{ gscor_fmt_num('orders') }} || ' orders, ' || {{ gscor_fmt_num('quantity') }} || ' units; costed amount US$'
        || {{ gscor_fmt_num('costed_amount_usd') }} || ', margin US$' || {{ gscor_fmt_num('margin_usd') }}
            as evidence_detail
    from fired

)

{{ gscor_finding_record('findings') }}
