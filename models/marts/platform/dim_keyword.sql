-- One row per account × normalised keyword text: every keyword the store saw in 流量关键词 (keyword_performance),
-- in the 外贸直通车 keyword report (p4p_keyword_daily) or in the industry 关键词指数 list (keyword_index), with the
-- spelling shown, a language guess, the brand flag (seed brand_keywords) and the latest index figures.
-- keyword_key = surrogate(account_id, gscor_normalise_text(keyword)): the key every keyword fact carries.
with

keyword_performance as (

    select * from {{ ref('stg_alibaba__keyword_performance') }}

),

keyword_index as (

    select * from {{ ref('stg_alibaba__keyword_index') }}

),

p4p_keyword_daily as (

    select * from {{ ref('stg_alibaba__p4p_keyword_daily') }}

),

brand_keywords as (

    select * from {{ ref('brand_keywords') }}

),

keyword_occurrences as (

    select
        account_id,
        keyword,
        {{ gscor_normalise_text('keyword') }} as keyword_normalised,
        'keyword_performance' as seen_in,
        1 as source_priority,
        period_start as seen_from,
        period_end as seen_to,
        source_row
    from keyword_performance

    union all

    select
        account_id,
        keyword,
        {{ gscor_normalise_text('keyword') }} as keyword_normalised,
        'p4p_keyword_daily' as seen_in,
        2 as source_priority,
        stat_date as seen_from,
        stat_date as seen_to,
        source_row
    from p4p_keyword_daily

    union all

    select
        account_id,
        keyword,
        {{ gscor_normalise_text('keyword') }} as keyword_normalised,
        'keyword_index' as seen_in,
        3 as source_priority,
        period_start as seen_from,
        period_end as seen_to,
        source_row
    from keyword_index

),

keyword_spans as (

    select
        account_id,
        keyword_normalised,
        min(case when seen_in = 'keyword_performance' then seen_from end) as first_period_start,
        max(case when seen_in = 'keyword_performance' then seen_to end) as last_period_end,
        min(seen_from) as first_seen_date,
        max(seen_to) as last_seen_date,
        max(case when seen_in = 'keyword_performance' then 1 else 0 end) = 1 as is_in_keyword_performance,
        max(case when seen_in = 'p4p_keyword_daily' then 1 else 0 end) = 1 as is_in_p4p,
        max(case when seen_in = 'keyword_index' then 1 else 0 end) = 1 as is_in_keyword_index
    from keyword_occurrences
    where keyword_normalised is not null
    group by account_id, keyword_normalised

),

display_texts as (

    -- the spelling shown: the traffic export's before P4P's before the index's, the latest period first
    select
        account_id,
        keyword_normalised,
        keyword as keyword_text,
        row_number() over (
            partition by account_id, keyword_normalised
            order by source_priority asc, seen_to desc, source_row asc, keyword asc
        ) as text_rank
    from keyword_occurrences
    where keyword_normalised is not null

),

performance_indexes as (

    -- 关键词指数 / 卖家规模指数 of the latest traffic export; a repeated keyword's row with an index wins
    select
        account_id,
        {{ gscor_normalise_text('keyword') }} as keyword_normalised,
        keyword_index,
        seller_scale_index,
        period_end,
        row_number() over (
            partition by account_id, {{ gscor_normalise_text('keyword') }}
            order by period_end desc, case when keyword_index is null then 1 else 0 end asc, source_row asc
        ) as index_rank
    from keyword_performance

),

industry_indexes as (

    -- 搜索指数 of the latest 关键词指数 list
    select
        account_id,
        {{ gscor_normalise_text('keyword') }} as keyword_normalised,
        search_index,
        search_growth,
        ctr,
        seller_scale_index,
        period_start,
        period_end,
        row_number() over (
            partition by account_id, {{ gscor_normalise_text('keyword') }}
            order by period_end desc, period_start desc, source_row asc
        ) as index_rank
    from keyword_index

),

brand_matches as (

    -- the longest matching brand term names the brand
    select
        keyword_spans.account_id,
        keyword_spans.keyword_normalised,
        brand_keywords.brand,
        brand_keywords.brand_term,
        row_number() over (
            partition by keyword_spans.account_id, keyword_spans.keyword_normalised
            order by length(brand_keywords.brand_term) desc, brand_keywords.brand_term asc
        ) as match_rank
    from keyword_spans
    inner join brand_keywords
        on {{ gscor_brand_term_matches(
            'keyword_spans.keyword_normalised', 'brand_keywords.brand_term', 'brand_keywords.match_type'
        ) }}

),

keywords as (

    select
        {{ gscor_surrogate_key(['keyword_spans.account_id', 'keyword_spans.keyword_normalised']) }} as keyword_key,
        keyword_spans.account_id,
        keyword_spans.keyword_normalised,
        display_texts.keyword_text,
        {{ gscor_keyword_language('keyword_spans.keyword_normalised') }} as language_guess,
        brand_matches.brand is not null as is_brand,
        brand_matches.brand,
        brand_matches.brand_term as brand_term_matched,
        keyword_spans.first_period_start,
        keyword_spans.last_period_end,
        keyword_spans.first_seen_date,
        keyword_spans.last_seen_date,
        keyword_spans.is_in_keyword_performance,
        keyword_spans.is_in_p4p,
        keyword_spans.is_in_keyword_index,
        performance_indexes.keyword_index as latest_keyword_index,
        performance_indexes.seller_scale_index as latest_seller_scale_index,
        performance_indexes.period_end as keyword_index_period_end,
        industry_indexes.search_index as latest_search_index,
        industry_indexes.search_growth as latest_search_growth,
        industry_indexes.ctr as latest_industry_ctr,
        industry_indexes.seller_scale_index as latest_industry_seller_scale_index,
        industry_indexes.period_start as search_index_period_start,
        industry_indexes.period_end as search_index_period_end
    from keyword_spans
    inner join display_texts
        on
            keyword_spans.account_id = display_texts.account_id
            and keyword_spans.keyword_normalised = display_texts.keyword_normalised
            and display_texts.text_rank = 1
    left join performance_indexes
        on
            keyword_spans.account_id = performance_indexes.account_id
            and keyword_spans.keyword_normalised = performance_indexes.keyword_normalised
            and performance_indexes.index_rank = 1
    left join industry_indexes
        on
            keyword_spans.account_id = industry_indexes.account_id
            and keyword_spans.keyword_normalised = industry_indexes.keyword_normalised
            and industry_indexes.index_rank = 1
    left join brand_matches
        on
            keyword_spans.account_id = brand_matches.account_id
            and keyword_spans.keyword_normalised = brand_matches.keyword_normalised
            and brand_matches.match_rank = 1

)

select * from keywords
