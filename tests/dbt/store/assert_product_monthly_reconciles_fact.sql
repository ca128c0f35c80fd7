-- Reconciliation, rpt_product_monthly against fct_product_period: per account × month × product, the report must
-- equal, to the unit, the month's MONTHLY export row when the account has one for the month, else the sum of the
-- product's WEEKLY rows whose week lies inside the month (start and end in the same calendar month), for search
-- impressions / clicks, inquiries, orders submitted, all-source impressions / clicks and RTS GMV, and the sum of
-- weekly visitors must land in visitors_weekly_uv_sum. Re-derived here without the report's own CTEs. Returns
-- every product-month present on one side only or differing.
with

fact_rows as (

    select
        *,
        {{ gscor_month_start('period_start') }} as month_start
    from {{ ref('fct_product_period') }}

),

monthly_rows as (

    select *
    from fact_rows
    where
        period_grain = 'month'
        and period_start = month_start
        and period_end = {{ gscor_month_end('period_start') }}

),

account_months_with_monthly as (

    select distinct
        account_id,
        month_start
    from monthly_rows

),

weekly_sums as (

    select
        fact_rows.account_id,
        fact_rows.month_start,
        fact_rows.product_id,
        sum(fact_rows.search_impressions) as search_impressions,
        sum(fact_rows.search_clicks) as search_clicks,
        sum(fact_rows.inquiries) as inquiries,
        sum(fact_rows.orders_submitted) as orders_submitted,
        sum(fact_rows.total_impressions) as total_impressions,
        sum(fact_rows.total_clicks) as total_clicks,
        sum(fact_rows.rts_gmv_usd) as rts_gmv_usd,
        sum(fact_rows.visitors) as visitors_weekly_uv_sum
    from fact_rows
    where
        fact_rows.period_grain = 'week'
        and {{ gscor_month_start('fact_rows.period_end') }} = fact_rows.month_start
        and not exists (
            select 1
            from account_months_with_monthly
            where
                account_months_with_monthly.account_id = fact_rows.account_id
                and account_months_with_monthly.month_start = fact_rows.month_start
        )
    group by fact_rows.account_id, fact_rows.month_start, fact_rows.product_id

),

expected as (

    select
        account_id,
        month_start,
        product_id,
        'week' as source_grain,
        search_impressions,
        search_clicks,
        inquiries,
        orders_submitted,
        total_impressions,
        total_clicks,
        rts_gmv_usd,
        visitors_weekly_uv_sum
    from weekly_sums
    union all
    select
        account_id,
        month_start,
        product_id,
        'month' as source_grain,
        search_impressions,
        search_clicks,
        inquiries,
        orders_submitted,
        total_impressions,
        total_clicks,
        rts_gmv_usd,
        null as visitors_weekly_uv_sum
    from monthly_rows

),

reported as (

    select * from {{ ref('rpt_product_monthly') }}

),

compared as (

    select
        coalesce(expected.account_id, reported.account_id) as account_id,
        coalesce(expected.month_start, reported.period_start) as month_start,
        coalesce(expected.product_id, reported.product_id) as product_id,
        expected.source_grain as expected_source_grain,
        reported.source_grain as reported_source_grain,
        expected.search_impressions as expected_search_impressions,
        reported.search_impressions as reported_search_impressions,
        expected.inquiries as expected_inquiries,
        reported.inquiries as reported_inquiries,
        expected.account_id is not null and reported.account_id is not null as on_both_sides,
        expected.search_clicks as expected_search_clicks,
        reported.search_clicks as reported_search_clicks,
        expected.orders_submitted as expected_orders_submitted,
        reported.orders_submitted as reported_orders_submitted,
        expected.total_impressions as expected_total_impressions,
        reported.total_impressions as reported_total_impressions,
        expected.total_clicks as expected_total_clicks,
        reported.total_clicks as reported_total_clicks,
        expected.rts_gmv_usd as expected_rts_gmv_usd,
        reported.rts_gmv_usd as reported_rts_gmv_usd,
        expected.visitors_weekly_uv_sum as expected_visitors_weekly_uv_sum,
        reported.visitors_weekly_uv_sum as reported_visitors_weekly_uv_sum
    from expected
    full outer join reported
        on
            expected.account_id = reported.account_id
            and expected.month_start = reported.period_start
            and expected.product_id = reported.product_id

)

select *
from compared
where
    not on_both_sides
    or expected_source_grain != reported_source_grain
    or expected_search_impressions is distinct from reported_search_impressions
    or expected_search_clicks is distinct from reported_search_clicks
    or expected_inquiries is distinct from reported_inquiries
    or expected_orders_submitted is distinct from reported_orders_submitted
    or expected_total_impressions is distinct from reported_total_impressions
    or expected_total_clicks is distinct from reported_total_clicks
    or expected_rts_gmv_usd is distinct from reported_rts_gmv_usd
    or expected_visitors_weekly_uv_sum is distinct from reported_visitors_weekly_uv_sum
