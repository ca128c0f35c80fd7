-- Weekly series of the rule metrics that have a weekly source, read by fct_entity_metric_weekly (which adds
-- higher_is_better from the seed effect_metrics): one row per account × entity_type × entity_id × metric ×
-- Sunday–Saturday week, with the finding's own metric name and entity id, computed as the rule model computes
-- it but one week at a time (a 4-week rule is tracked by its weekly value):
--   C04 low_quality_inquiry_share (inquiry_source by its printed name; product): L0 buyers, plus sample requests
--       when the account's C04 count_sample_requests = 1, over the week's inquiries (the rule reads 4-week windows);
--   C05 off_target_inquiry_share, C06 tm_tool_usage_rate, C07 sample_inquiry_share (store): as the weekly rules;
--   fct_conversations weeks wholly inside the account's span of conversations (inquiries and TM together);
--   ratio-only, so a week without a qualifying conversation has a null value.
--   G10 promoted_share_of_top_traffic (store): promoted products among the week's G10 top_n traffic products; the
--       promoted flag is the catalog as of the week's end (int_product_catalog_versioned, as S01/S05 read it) so
--       a changed promoted list shows from its snapshot on (the rule itself reads the latest snapshot).
--   G11 store_impression_share (keyword): the keyword's impressions / the store's keyword impressions of the
--       weekly 流量关键词 export (the rule reads 4-week windows); keywords of the 关键词指数 export the store never
--       had count 0 from the account's first keyword week (as the rule counts them).
--   S01 rank_page (product): the worst of the product's best pages of the week over its checked (core) keywords,
--       the rule's headline value; null when a keyword was checked and the product not found (no page).
--   S05 traffic_rank (product): rank by visitors (ties: search clicks, product id) among the week's products with
--       visitors and a catalog row; a product without visitors has no rank (no row).
-- S03 opportunities is in fct_entity_metric_weekly (it densifies the weekly product export). Not tracked (no weekly
-- source): O04 weeks_of_stock and S02 quality_score (stock and quality are only known on catalog snapshot dates),
-- and the monthly rules' metrics.
{%- set conversation_store_metrics = ['off_target_inquiry_share', 'tm_tool_usage_rate', 'sample_inquiry_share'] %}
with

conversations as (

    select
        account_id,
        conversation_type,
        period_start as conversation_date,
        {{ gscor_week_start('period_start') }} as week_start,
        {{ gscor_week_end('period_start') }} as week_end,
        inquiry_source,
        product_id,
        buyer_level,
        demand_type,
        is_target_market,
        used_quick_reply,
        sent_product_card
    from {{ ref('fct_conversations') }}
    where conversation_type in ('inquiry', 'tm') and period_start is not null

),

conversations_in_complete_weeks as (

    -- weeks wholly inside one span per account over inquiries and TM together: conversations are sparse events,
    -- so a quiet last day of one type must not drop the week (the lists are exported for the same period)
    {{ gscor_rows_in_complete_weeks('conversations', 'conversation_date') }}

),

c04_params as ({{ gscor_rule_params('C04', ['count_sample_requests']) }}),

conversations_complete as (

    select
        conversations.*,
        case
            when conversations.buyer_level = 'L0' then 1
            when c04_params.count_sample_requests = 1 and conversations.demand_type = 'sample' then 1
            else 0
        end as is_low_quality
    from conversations_in_complete_weeks as conversations
    left join c04_params
        on conversations.account_id = c04_params.account_id

),

conversation_store_weeks as (

    select
        account_id,
        week_start,
        week_end,
        {{ gscor_ratio(
            "sum(case when conversation_type = 'inquiry' and not is_target_market then 1 else 0 end)",
            "sum(case when conversation_type = 'inquiry' and is_target_market is not null then 1 else 0 end)"
        ) }} as off_target_inquiry_share,
        {{ gscor_ratio(
            "sum(case when conversation_type = 'tm' and (used_quick_reply or sent_product_card) then 1 else 0 end)",
            "sum(case when conversation_type = 'tm'"
            ~ " and (used_quick_reply is not null or sent_product_card is not null) then 1 else 0 end)"
        ) }} as tm_tool_usage_rate,
        {{ gscor_ratio(
            "sum(case when conversation_type = 'inquiry' and demand_type = 'sample' then 1 else 0 end)",
            "sum(case when conversation_type = 'inquiry' and demand_type is not null then 1 else 0 end)"
        ) }} as sample_inquiry_share
    from conversations_complete
    group by account_id, week_start, week_end

),

low_quality_weeks as (

    select
        account_id,
        'inquiry_source' as entity_type,
        inquiry_source as entity_id,
        week_start,
        week_end,
        {{ gscor_ratio('sum(is_low_quality)', 'count(*)') }} as low_quality_inquiry_share
    from conversations_complete
    where conversation_type = 'inquiry' and inquiry_source is not null
    group by account_id, inquiry_source, week_start, week_end
    union all
    select
        account_id,
        'product' as entity_type,
        product_id as entity_id,
        week_start,
        week_end,
        {{ gscor_ratio('sum(is_low_quality)', 'count(*)') }} as low_quality_inquiry_share
    from conversations_complete
    where conversation_type = 'inquiry' and product_id is not null
    group by account_id, product_id, week_start, week_end

),

g10_params as ({{ gscor_rule_params('G10', ['top_n']) }}),

catalog_weeks as (

    -- the weekly product export's rows with the catalog row as of the week's end (S01 / S05 convention)
    select
        product.account_id,
        product.product_id,
        product.period_start as week_start,
        product.period_end as week_end,
        product.visitors,
        product.search_clicks,
        coalesce(catalogue.is_promoted, false) as is_promoted
    from {{ ref('fct_product_period') }} as product
    inner join {{ ref('int_product_catalog_versioned') }} as catalogue
        on
            product.account_id = catalogue.account_id
            and product.product_id = catalogue.product_id
            and product.period_end between catalogue.valid_from and catalogue.valid_to
    where product.period_grain = 'week' and product.product_id is not null

),

catalog_accounts as (

    select distinct account_id
    from {{ ref('int_product_catalog_versioned') }}
    where is_promoted is not null

),

promoted_ranked as (

    -- G10: every product of the week, traffic = visitors (0 when unknown)
    select
        catalog_weeks.account_id,
        catalog_weeks.week_start,
        catalog_weeks.week_end,
        catalog_weeks.is_promoted,
        g10_params.top_n,
        row_number() over (
            partition by catalog_weeks.account_id, catalog_weeks.week_start
            order by
                coalesce(catalog_weeks.visitors, 0) desc,
                coalesce(catalog_weeks.search_clicks, 0) desc,
                catalog_weeks.product_id
        ) as traffic_rank
    from catalog_weeks
    inner join catalog_accounts
        on catalog_weeks.account_id = catalog_accounts.account_id
    inner join g10_params
        on catalog_weeks.account_id = g10_params.account_id

),

promoted_weeks as (

    select
        account_id,
        week_start,
        week_end,
        {{ gscor_ratio('sum(case when is_promoted then 1 else 0 end)', 'count(*)') }}
            as promoted_share_of_top_traffic
    from promoted_ranked
    where traffic_rank <= top_n
    group by account_id, week_start, week_end

),

traffic_rank_weeks as (

    -- S05: products with visitors ranked within the week (never a leader without visitors)
    select
        account_id,
        product_id as entity_id,
        week_start,
        week_end,
        row_number() over (
            partition by account_id, week_start
            order by visitors desc, search_clicks desc, product_id asc
        ) as traffic_rank
    from catalog_weeks
    where visitors > 0

),

ranking_checks as (

    select
        account_id,
        product_id,
        {{ gscor_normalise_text('keyword') }} as keyword_normalised,
        {{ gscor_week_start('checked_date') }} as week_start,
        {{ gscor_week_end('checked_date') }} as week_end,
        rank_page
    from {{ ref('stg_alibaba__keyword_ranking') }}
    where product_id is not null and checked_date is not null

),

ranking_keyword_weeks as (

    -- S01: the best check of each product × keyword × week; not found (no page) only when never found that week
    select
        account_id,
        product_id,
        keyword_normalised,
        week_start,
        week_end,
        min(rank_page) as best_page,
        count(rank_page) = 0 as is_not_found
    from ranking_checks
    group by account_id, product_id, keyword_normalised, week_start, week_end

),

rank_page_weeks as (

    select
        account_id,
        product_id as entity_id,
        week_start,
        week_end,
        case when max(case when is_not_found then 1 else 0 end) = 0 then max(best_page) end as rank_page
    from ranking_keyword_weeks
    group by account_id, product_id, week_start, week_end

),


keyword_sums as (

    -- the weekly 流量关键词 export, repeated rows of a keyword added (as fct_entity_metric_weekly's keyword series)
    select
        account_id,
        keyword_normalised as entity_id,
        period_start as week_start,
        period_end as week_end,
        sum(impressions) as impressions
    from {{ ref('fct_keyword_period') }}
    where period_grain = 'week' and keyword_normalised is not null and keyword_normalised != ''
    group by account_id, keyword_normalised, period_start, period_end

),

keyword_account_weeks as (

    select distinct
        account_id,
        period_start as week_start,
        period_end as week_end
    from {{ ref('fct_keyword_period') }}
    where period_grain = 'week' and keyword_normalised is not null and keyword_normalised != ''

),

keyword_entities as (

    select
        account_id,
        entity_id,
        min(week_start) as first_week_start
    from keyword_sums
    group by account_id, entity_id

),

keyword_store_weeks as (

    select
        account_id,
        week_start,
        sum(impressions) as store_impressions
    from keyword_sums
    group by account_id, week_start

),

index_keywords as (

    select distinct
        account_id,
        {{ gscor_normalise_keyword('keyword') }} as entity_id
    from {{ ref('stg_alibaba__keyword_index') }}
    where keyword is not null

),

share_entities as (

    select
        account_id,
        entity_id,
        first_week_start
    from keyword_entities
    union all
    -- G11 counts a keyword the store does not have as 0: from the account's first keyword week on
    select
        index_keywords.account_id,
        index_keywords.entity_id,
        min(keyword_account_weeks.week_start) as first_week_start
    from index_keywords
    inner join keyword_account_weeks
        on index_keywords.account_id = keyword_account_weeks.account_id
    left join keyword_entities
        on
            index_keywords.account_id = keyword_entities.account_id
            and index_keywords.entity_id = keyword_entities.entity_id
    where keyword_entities.entity_id is null and index_keywords.entity_id != ''
    group by index_keywords.account_id, index_keywords.entity_id

),

keyword_share_parts as (

    {{ gscor_densify_entity_weeks('keyword_sums', 'keyword_account_weeks', [
        'coalesce(keyword_sums.impressions, 0) as impressions',
    ], entities='share_entities') }}

),

keyword_share_weeks as (

    select
        keyword_share_parts.account_id,
        keyword_share_parts.entity_id,
        keyword_share_parts.week_start,
        keyword_share_parts.week_end,
        {{ gscor_ratio('keyword_share_parts.impressions', 'keyword_store_weeks.store_impressions') }}
            as store_impression_share
    from keyword_share_parts
    inner join keyword_store_weeks
        on
            keyword_share_parts.account_id = keyword_store_weeks.account_id
            and keyword_share_parts.week_start = keyword_store_weeks.week_start

),

unioned as (

    {%- for m in conversation_store_metrics %}
        select
            account_id,
            'store' as entity_type,
            'store' as entity_id,
            '{{ m }}' as metric,
            week_start,
            week_end,
            {{ m }} as value,  -- noqa: RF04
            'fct_conversations' as source_model
        from conversation_store_weeks
        union all
    {%- endfor %}
    select
        account_id,
        entity_type,
        entity_id,
        'low_quality_inquiry_share' as metric,
        week_start,
        week_end,
        low_quality_inquiry_share as value,  -- noqa: RF04
        'fct_conversations' as source_model
    from low_quality_weeks
    union all
    select
        account_id,
        'store' as entity_type,
        'store' as entity_id,
        'promoted_share_of_top_traffic' as metric,
        week_start,
        week_end,
        promoted_share_of_top_traffic as value,  -- noqa: RF04
        'fct_product_period' as source_model
    from promoted_weeks
    union all
    select
        account_id,
        'product' as entity_type,
        entity_id,
        'traffic_rank' as metric,
        week_start,
        week_end,
        traffic_rank as value,  -- noqa: RF04
        'fct_product_period' as source_model
    from traffic_rank_weeks
    union all
    select
        account_id,
        'product' as entity_type,
        entity_id,
        'rank_page' as metric,
        week_start,
        week_end,
        rank_page as value,  -- noqa: RF04
        'stg_alibaba__keyword_ranking' as source_model
    from rank_page_weeks
    union all
    select
        account_id,
        'keyword' as entity_type,
        entity_id,
        'store_impression_share' as metric,
        week_start,
        week_end,
        store_impression_share as value,  -- noqa: RF04
        'fct_keyword_period' as source_model
    from keyword_share_weeks

),

final as (

    select
        account_id,
        entity_type,
        entity_id,
        metric,
        week_start,
        week_end,
        cast(value as {{ gscor_type('double') }}) as value,  -- noqa: RF04
        source_model
    from unioned

)

select * from final
