-- Monthly product report: one row per account × month × product. A month with a MONTHLY product export
-- (产品数据, period = the whole calendar month) takes it as exported. Otherwise the WEEKLY exports lying
-- fully inside the month (Sunday→Saturday weeks; a week straddling two months counts for neither) are
-- rolled up: event counts and amounts are summed; unique-visitor counts are summed too but only into
-- columns named *_weekly_uv_sum (a sum of weekly uniques, NOT the month's uniques). Daily exports are
-- not used here. Quality score and grade are as of the month end (catalog as-of rule); the owner is the
-- product's current owner (dim_product).
with

product_periods as (

    select
        *,
        {{ gscor_month_start('period_start') }} as month_start,
        {{ gscor_month_end('period_start') }} as month_end
    from {{ ref('fct_product_period') }}
    where period_grain in ('month', 'week')

),

monthly_export_rows as (

    select *
    from product_periods
    where
        period_grain = 'month'
        and period_start = month_start
        and period_end = month_end

),

months_with_monthly_export as (

    select distinct
        account_id,
        month_start
    from monthly_export_rows

),

weekly_rows_inside_month as (

    select product_periods.*
    from product_periods
    left join months_with_monthly_export
        on
            product_periods.account_id = months_with_monthly_export.account_id
            and product_periods.month_start = months_with_monthly_export.month_start
    where
        product_periods.period_grain = 'week'
        and product_periods.period_end <= product_periods.month_end
        and months_with_monthly_export.month_start is null

),

weeks_loaded as (

    select distinct
        account_id,
        month_start,
        month_end,
        period_start,
        period_end
    from weekly_rows_inside_month

),

month_week_coverage as (

    select
        account_id,
        month_start,
        month_end,
        count(*) as weeks_covered,
        {{ gscor_listagg(gscor_cast('period_start', 'string'), ',', 'period_start') }}
            as week_starts_covered,
        min(period_start) as first_week_start,
        max(period_end) as last_week_end,
        case
            when {{ gscor_week_start('month_start') }} = month_start then month_start
            else {{ gscor_add_days('7', gscor_week_start('month_start')) }}
        end as first_sunday_in_month
    from weeks_loaded
    group by account_id, month_start, month_end

),

month_week_expectation as (

    -- the Sunday→Saturday weeks lying fully inside the month: from the first Sunday on/after the 1st
    select
        account_id,
        month_start,
        month_end,
        weeks_covered,
        week_starts_covered,
        first_week_start,
        last_week_end,
        {{ gscor_cast(
            'floor((' ~ gscor_days_between('first_sunday_in_month', 'month_end') ~ ' + 1) / 7.0)', 'bigint'
        ) }} as weeks_in_month
    from month_week_coverage

),

weekly_rollup as (

    select
        account_id,
        month_start,
        month_end,
        product_id,
        product_key,
        {{ gscor_cast('sum(search_impressions)', 'bigint') }} as search_impressions,
        {{ gscor_cast('sum(search_clicks)', 'bigint') }} as search_clicks,
        {{ gscor_cast('sum(inquiries)', 'bigint') }} as inquiries,
        {{ gscor_cast('sum(orders_submitted)', 'bigint') }} as orders_submitted,
        cast(sum(rts_gmv_usd) as decimal(18, 4)) as rts_gmv_usd,
        {{ gscor_cast('sum(total_impressions)', 'bigint') }} as total_impressions,
        {{ gscor_cast('sum(total_clicks)', 'bigint') }} as total_clicks,
        {{ gscor_cast('sum(ad_impressions)', 'bigint') }} as ad_impressions,
        {{ gscor_cast('sum(ad_clicks)', 'bigint') }} as ad_clicks,
        {{ gscor_cast('sum(p4p_standard_impressions)', 'bigint') }} as p4p_standard_impressions,
        {{ gscor_cast('sum(p4p_standard_clicks)', 'bigint') }} as p4p_standard_clicks,
        {{ gscor_cast('sum(p4p_fullsite_impressions)', 'bigint') }} as p4p_fullsite_impressions,
        {{ gscor_cast('sum(p4p_fullsite_clicks)', 'bigint') }} as p4p_fullsite_clicks,
        {{ gscor_cast('sum(visitors)', 'bigint') }} as visitors_weekly_uv_sum,
        {{ gscor_cast('sum(inquiry_buyers)', 'bigint') }} as inquiry_buyers_weekly_uv_sum,
        {{ gscor_cast('sum(tm_buyers)', 'bigint') }} as tm_buyers_weekly_uv_sum,
        {{ gscor_cast('sum(favorites)', 'bigint') }} as favorites_weekly_uv_sum,
        {{ gscor_cast('sum(shares)', 'bigint') }} as shares_weekly_uv_sum,
        {{ gscor_cast('sum(compares)', 'bigint') }} as compares_weekly_uv_sum,
        {{ gscor_cast('sum(rts_buyers)', 'bigint') }} as rts_buyers_weekly_uv_sum,
        count(*) as product_weeks,
        max(loaded_at) as loaded_at
    from weekly_rows_inside_month
    group by account_id, month_start, month_end, product_id, product_key

),

last_week_of_product as (

    -- 近90天商机人数 is a rolling 90-day figure: the month takes the last covered week's value
    select
        account_id,
        month_start,
        product_id,
        opportunity_buyers_90d,
        row_number() over (
            partition by account_id, month_start, product_id
            order by period_end desc
        ) as recency_rank
    from weekly_rows_inside_month

),

month_rows as (

    select
        weekly_rollup.account_id,
        weekly_rollup.month_start,
        weekly_rollup.month_end,
        weekly_rollup.product_id,
        weekly_rollup.product_key,
        'week' as source_grain,
        month_week_expectation.weeks_covered,
        month_week_expectation.weeks_in_month,
        month_week_expectation.week_starts_covered,
        month_week_expectation.first_week_start,
        month_week_expectation.last_week_end,
        month_week_expectation.weeks_covered * 7 as days_covered,
        month_week_expectation.weeks_covered = month_week_expectation.weeks_in_month as is_month_complete,
        weekly_rollup.product_weeks,
        weekly_rollup.search_impressions,
        weekly_rollup.search_clicks,
        weekly_rollup.inquiries,
        weekly_rollup.orders_submitted,
        weekly_rollup.rts_gmv_usd,
        weekly_rollup.total_impressions,
        weekly_rollup.total_clicks,
        weekly_rollup.ad_impressions,
        weekly_rollup.ad_clicks,
        weekly_rollup.p4p_standard_impressions,
        weekly_rollup.p4p_standard_clicks,
        weekly_rollup.p4p_fullsite_impressions,
        weekly_rollup.p4p_fullsite_clicks,
        {{ gscor_cast('null', 'bigint') }} as visitors,
        {{ gscor_cast('null', 'bigint') }} as inquiry_buyers,
        {{ gscor_cast('null', 'bigint') }} as tm_buyers,
        {{ gscor_cast('null', 'bigint') }} as favorites,
        {{ gscor_cast('null', 'bigint') }} as shares,  -- noqa: RF04
        {{ gscor_cast('null', 'bigint') }} as compares,
        {{ gscor_cast('null', 'bigint') }} as rts_buyers,
        weekly_rollup.visitors_weekly_uv_sum,
        weekly_rollup.inquiry_buyers_weekly_uv_sum,
        weekly_rollup.tm_buyers_weekly_uv_sum,
        weekly_rollup.favorites_weekly_uv_sum,
        weekly_rollup.shares_weekly_uv_sum,
        weekly_rollup.compares_weekly_uv_sum,
        weekly_rollup.rts_buyers_weekly_uv_sum,
        last_week_of_product.opportunity_buyers_90d,
        weekly_rollup.loaded_at
    from weekly_rollup
    inner join month_week_expectation
        on
            weekly_rollup.account_id = month_week_expectation.account_id
            and weekly_rollup.month_start = month_week_expectation.month_start
    inner join last_week_of_product
        on
            weekly_rollup.account_id = last_week_of_product.account_id
            and weekly_rollup.month_start = last_week_of_product.month_start
            and weekly_rollup.product_id = last_week_of_product.product_id
            and last_week_of_product.recency_rank = 1

    union all

    select
        account_id,
        month_start,
        month_end,
        product_id,
        product_key,
        'month' as source_grain,
        {{ gscor_cast('null', 'bigint') }} as weeks_covered,
        {{ gscor_cast('null', 'bigint') }} as weeks_in_month,
        {{ gscor_cast('null', 'string') }} as week_starts_covered,
        {{ gscor_cast('null', 'date') }} as first_week_start,
        {{ gscor_cast('null', 'date') }} as last_week_end,
        {{ gscor_days_between('month_start', 'month_end') }} + 1 as days_covered,
        true as is_month_complete,
        {{ gscor_cast('null', 'bigint') }} as product_weeks,
        search_impressions,
        search_clicks,
        inquiries,
        orders_submitted,
        rts_gmv_usd,
        total_impressions,
        total_clicks,
        ad_impressions,
        ad_clicks,
        p4p_standard_impressions,
        p4p_standard_clicks,
        p4p_fullsite_impressions,
        p4p_fullsite_clicks,
        visitors,
        inquiry_buyers,
        tm_buyers,
        favorites,
        shares,
        compares,
        rts_buyers,
        {{ gscor_cast('null', 'bigint') }} as visitors_weekly_uv_sum,
        {{ gscor_cast('null', 'bigint') }} as inquiry_buyers_weekly_uv_sum,
        {{ gscor_cast('null', 'bigint') }} as tm_buyers_weekly_uv_sum,
        {{ gscor_cast('null', 'bigint') }} as favorites_weekly_uv_sum,
        {{ gscor_cast('null', 'bigint') }} as shares_weekly_uv_sum,
        {{ gscor_cast('null', 'bigint') }} as compares_weekly_uv_sum,
        {{ gscor_cast('null', 'bigint') }} as rts_buyers_weekly_uv_sum,
        opportunity_buyers_90d,
        loaded_at
    from monthly_export_rows

),

catalog_versions as (

    select * from {{ ref('int_product_catalog_versioned') }}

),

products as (

    select * from {{ ref('dim_product') }}

),

final as (

    select
        month_rows.account_id,
        'month' as period_grain,
        month_rows.month_start as period_start,
        month_rows.month_end as period_end,
        month_rows.product_key,
        month_rows.product_id,
        products.product_name,
        products.owner,
        month_rows.source_grain,
        month_rows.is_month_complete,
        month_rows.weeks_covered,
        month_rows.weeks_in_month,
        month_rows.week_starts_covered,
        month_rows.first_week_start,
        month_rows.last_week_end,
        month_rows.days_covered,
        month_rows.product_weeks,
        row_number() over (
            partition by month_rows.account_id, month_rows.month_start
            order by coalesce(month_rows.search_impressions, 0) desc, month_rows.product_id
        ) as search_impressions_rank,
        month_rows.search_impressions,
        month_rows.search_clicks,
        {{ gscor_ratio('month_rows.search_clicks', 'month_rows.search_impressions') }} as search_ctr,
        month_rows.inquiries,
        month_rows.orders_submitted,
        month_rows.rts_gmv_usd,
        month_rows.total_impressions,
        month_rows.total_clicks,
        month_rows.ad_impressions,
        month_rows.ad_clicks,
        month_rows.p4p_standard_impressions,
        month_rows.p4p_standard_clicks,
        month_rows.p4p_fullsite_impressions,
        month_rows.p4p_fullsite_clicks,
        month_rows.visitors,
        month_rows.inquiry_buyers,
        month_rows.tm_buyers,
        month_rows.favorites,
        month_rows.shares,
        month_rows.compares,
        month_rows.rts_buyers,
        {{ gscor_ratio('month_rows.inquiry_buyers', 'month_rows.visitors') }} as inquiry_rate,
        month_rows.visitors_weekly_uv_sum,
        month_rows.inquiry_buyers_weekly_uv_sum,
        month_rows.tm_buyers_weekly_uv_sum,
        month_rows.favorites_weekly_uv_sum,
        month_rows.shares_weekly_uv_sum,
        month_rows.compares_weekly_uv_sum,
        month_rows.rts_buyers_weekly_uv_sum,
        month_rows.opportunity_buyers_90d,
        catalog_versions.quality_score,
        catalog_versions.product_grade,
        catalog_versions.snapshot_date as quality_snapshot_date,
        coalesce(month_rows.inquiries, 0) = 0
        and coalesce(month_rows.search_clicks, 0) + coalesce(month_rows.total_clicks, 0) > 0
            as is_zero_inquiry_with_traffic,
        month_rows.loaded_at
    from month_rows
    left join products
        on month_rows.product_key = products.product_key
    left join catalog_versions
        on
            month_rows.account_id = catalog_versions.account_id
            and month_rows.product_id = catalog_versions.product_id
            and month_rows.month_end between catalog_versions.valid_from and catalog_versions.valid_to

)

select * from final
