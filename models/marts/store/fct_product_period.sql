{{ config(
    materialized='incremental',
    on_schema_change='fail',
    **gscor_incremental_config(['account_id', 'period_grain', 'period_start', 'period_end'])
) }}
-- Stage S fact: one row per account × product × exported period (day / week / month as exported) from
-- 产品数据. Every measure of the export as landed (UV columns are period-unique: never sum them), the
-- catalog quality as of the period end, the best keyword ranking checked within the period, and
-- recomputed rates. loaded_at is the newest load feeding the row (product export, catalog snapshot or
-- ranking check), so a new catalog snapshot or ranking check recomputes the periods it touches.
with

performance_rows as (

    select * from {{ ref('stg_alibaba__product_performance') }}

),

catalog_versions as (

    select * from {{ ref('int_product_catalog_versioned') }}

),

ranking_checks as (

    select
        account_id,
        product_id,
        checked_date,
        keyword,
        rank_page,
        rank_position,
        loaded_at
    from {{ ref('stg_alibaba__keyword_ranking') }}

),

ranking_checks_in_period as (

    select
        performance_rows.product_performance_sk,
        ranking_checks.checked_date,
        ranking_checks.keyword,
        ranking_checks.rank_page,
        ranking_checks.rank_position,
        ranking_checks.loaded_at
    from performance_rows
    inner join ranking_checks
        on
            performance_rows.account_id = ranking_checks.account_id
            and performance_rows.product_id = ranking_checks.product_id
            and ranking_checks.checked_date between performance_rows.period_start and performance_rows.period_end

),

keyword_checks_ranked as (

    -- a keyword's best check in the period (a check without a page, i.e. not found, sorts last)
    select
        *,
        row_number() over (
            partition by product_performance_sk, keyword
            order by
                case when rank_page is null then 1 else 0 end,
                rank_page,
                case when rank_position is null then 1 else 0 end,
                rank_position,
                checked_date
        ) as keyword_check_rank
    from ranking_checks_in_period

),

keyword_best_checks as (

    select
        product_performance_sk,
        keyword,
        rank_page,
        rank_position,
        row_number() over (
            partition by product_performance_sk
            order by
                case when rank_page is null then 1 else 0 end,
                rank_page,
                case when rank_position is null then 1 else 0 end,
                rank_position,
                keyword
        ) as best_first_rank,
        row_number() over (
            partition by product_performance_sk
            order by
                case when rank_page is null then 0 else 1 end asc,
                rank_page desc,
                case when rank_position is null then 0 else 1 end asc,
                rank_position desc,
                keyword asc
        ) as weakest_first_rank
    from keyword_checks_ranked
    where keyword_check_rank = 1

),

ranking_summary as (

    select
        product_performance_sk,
        count(*) as ranking_checks,
        max(loaded_at) as ranking_loaded_at
    from ranking_checks_in_period
    group by product_performance_sk

),

keyword_summary as (

    select
        product_performance_sk,
        count(*) as keywords_checked,
        sum(case when rank_page <= 3 then 1 else 0 end) as keywords_on_top3_pages
    from keyword_best_checks
    group by product_performance_sk

),

best_ranking as (

    select
        product_performance_sk,
        rank_page as best_rank_page,
        rank_position as best_rank_position,
        keyword as best_rank_keyword
    from keyword_best_checks
    where best_first_rank = 1

),

weakest_ranking as (

    select
        product_performance_sk,
        keyword as weakest_keyword,
        rank_page as weakest_keyword_best_page,
        rank_position as weakest_keyword_best_position
    from keyword_best_checks
    where weakest_first_rank = 1

),

quality_as_of as (

    select
        performance_rows.product_performance_sk,
        catalog_versions.quality_score,
        catalog_versions.product_grade,
        catalog_versions.snapshot_date as quality_snapshot_date,
        catalog_versions.snapshot_date > performance_rows.period_end as is_quality_after_period,
        catalog_versions.loaded_at as catalog_loaded_at
    from performance_rows
    inner join catalog_versions
        on
            performance_rows.account_id = catalog_versions.account_id
            and performance_rows.product_id = catalog_versions.product_id
            and performance_rows.period_end between catalog_versions.valid_from and catalog_versions.valid_to

),

final as (

    select
        {{ gscor_surrogate_key([
            'performance_rows.account_id', 'performance_rows.period_grain', 'performance_rows.period_start',
            'performance_rows.period_end', 'performance_rows.product_id'
        ]) }} as product_period_key,
        {{ gscor_surrogate_key(['performance_rows.account_id', 'performance_rows.product_id']) }} as product_key,
        performance_rows.account_id,
        performance_rows.product_id,
        performance_rows.period_grain,
        performance_rows.period_start,
        performance_rows.period_end,
        performance_rows.product_name,
        performance_rows.owner,
        performance_rows.is_showcase,
        performance_rows.is_top_display,
        performance_rows.is_p4p,
        performance_rows.search_impressions,
        performance_rows.search_clicks,
        performance_rows.search_ctr,
        performance_rows.visitors,
        performance_rows.inquiries,
        performance_rows.opportunity_buyers_90d,
        performance_rows.inquiry_buyers,
        performance_rows.inquiry_rate,
        performance_rows.favorites,
        performance_rows.shares,
        performance_rows.compares,
        performance_rows.orders_submitted,
        performance_rows.tm_buyers,
        performance_rows.rts_buyers,
        performance_rows.rts_gmv_usd,
        performance_rows.total_impressions,
        performance_rows.total_clicks,
        performance_rows.ad_impressions,
        performance_rows.ad_clicks,
        performance_rows.p4p_standard_impressions,
        performance_rows.p4p_standard_clicks,
        performance_rows.p4p_fullsite_impressions,
        performance_rows.p4p_fullsite_clicks,
        {{ gscor_ratio('performance_rows.search_clicks', 'performance_rows.search_impressions') }}
            as search_ctr_computed,
        {{ gscor_ratio('performance_rows.inquiry_buyers', 'performance_rows.visitors') }}
            as inquiry_rate_computed,
        {{ gscor_ratio('performance_rows.inquiries', 'performance_rows.visitors') }}
            as inquiries_per_visitor,
        quality_as_of.quality_score,
        quality_as_of.product_grade,
        quality_as_of.quality_snapshot_date,
        quality_as_of.is_quality_after_period,
        best_ranking.best_rank_page,
        best_ranking.best_rank_position,
        best_ranking.best_rank_keyword,
        weakest_ranking.weakest_keyword,
        weakest_ranking.weakest_keyword_best_page,
        weakest_ranking.weakest_keyword_best_position,
        coalesce(ranking_summary.ranking_checks, 0) as ranking_checks,
        coalesce(keyword_summary.keywords_checked, 0) as keywords_checked,
        {{ gscor_cast('coalesce(keyword_summary.keywords_on_top3_pages, 0)', 'bigint') }}
            as keywords_on_top3_pages,
        performance_rows.source_file,
        performance_rows.source_sha256,
        performance_rows.source_row,
        greatest(
            performance_rows.loaded_at,
            coalesce(quality_as_of.catalog_loaded_at, performance_rows.loaded_at),
            coalesce(ranking_summary.ranking_loaded_at, performance_rows.loaded_at)
        ) as loaded_at
    from performance_rows
    left join quality_as_of
        on performance_rows.product_performance_sk = quality_as_of.product_performance_sk
    left join ranking_summary
        on performance_rows.product_performance_sk = ranking_summary.product_performance_sk
    left join keyword_summary
        on performance_rows.product_performance_sk = keyword_summary.product_performance_sk
    left join best_ranking
        on performance_rows.product_performance_sk = best_ranking.product_performance_sk
    left join weakest_ranking
        on performance_rows.product_performance_sk = weakest_ranking.product_performance_sk

)

select final.* from final
{{ gscor_only_changed_periods('final', keys=['account_id', 'period_grain', 'period_start', 'period_end']) }}
