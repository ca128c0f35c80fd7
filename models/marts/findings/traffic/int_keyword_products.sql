-- The products behind a keyword: for every account × week × keyword of the 流量关键词 export (rpt_keyword_weekly),
-- the products of the same week's 产品数据 export (fct_product_period) whose title (产品名称) carries every word of
-- the keyword. The back office does not say which product a keyword showed; a product whose title has all the
-- searched words is the one the search most likely matched, so rules that ask for work on "the products behind a
-- keyword" (G05) can name them.
-- Matching (a transparent heuristic): the keyword's first 6 words (normalised text, split on spaces); words of
-- fewer than 3 letters and a few connectives (for, and, with, the, para, pour, con, les, des, del, com) are
-- ignored; a word matches when a word of the lower-cased title (',', '-', '/', '(', ')', '''' and '.' read as
-- spaces) starts with it ("shoe" matches "Shoes", "men" matches "Men's"). A keyword with no word left matches
-- nothing. Non-English keywords rarely match English titles: that is the evidence of G15.
-- Grain: account × period_end × keyword_key × product_id; product_rank 1 = the product with the most search
-- impressions that week (ties: lower product id).
{%- set max_words = 6 %}
{%- set stop_words = ['for', 'and', 'with', 'the', 'para', 'pour', 'con', 'les', 'des', 'del', 'com'] %}
{%- set word_columns = [] %}
{%- for n in range(1, max_words + 1) %}{% do word_columns.append('keyword_words.word_' ~ n) %}{% endfor %}

with keyword_weeks as (
    select
        account_id,
        period_end,
        keyword_key,
        keyword_normalised,
    {%- for n in range(1, max_words + 1) %}
        {{ gscor_regexp_extract('keyword_normalised', '^(?:[^ ]+ ){' ~ (n - 1) ~ '}([^ ]+)', 1) }} as word_{{ n }}
        {{- "," if not loop.last }}
    {%- endfor %}
    from {{ ref('rpt_keyword_weekly') }}
    where period_grain = 'week'
),

keyword_words as (
    select
        account_id,
        period_end,
        keyword_key,
        keyword_normalised,
    {%- for n in range(1, max_words + 1) %}
        case
            when
                length(word_{{ n }}) >= 3
                and word_{{ n }} not in ({{ "'" ~ stop_words | join("', '") ~ "'" }})
                then word_{{ n }}
        end as word_{{ n }}
        {{- "," if not loop.last }}
    {%- endfor %}
    from keyword_weeks
),

product_titles as (
    select
        account_id,
        period_end,
        product_id,
        product_name,
        owner,
        search_impressions,
        ' ' || translate(lower(product_name), ',-/()''.', '       ') || ' ' as title_words
    from {{ ref('fct_product_period') }}
    where period_grain = 'week' and product_name is not null
),

matched as (
    select
        keyword_words.account_id,
        keyword_words.period_end,
        keyword_words.keyword_key,
        keyword_words.keyword_normalised,
        product_titles.product_id,
        product_titles.product_name,
        product_titles.owner,
        product_titles.search_impressions
    from keyword_words
    inner join product_titles
        on
            keyword_words.account_id = product_titles.account_id
            and keyword_words.period_end = product_titles.period_end
    where
        coalesce({{ word_columns | join(', ') }}) is not null
        {%- for n in range(1, max_words + 1) %}
            and (
                keyword_words.word_{{ n }} is null
                or product_titles.title_words like {{ gscor_concat(["'% '", 'keyword_words.word_' ~ n, "'%'"]) }}
            )
        {%- endfor %}
),

final as (
    select
        account_id,
        period_end,
        keyword_key,
        keyword_normalised,
        product_id,
        product_name,
        owner,
        search_impressions,
        row_number() over (
            partition by account_id, period_end, keyword_key
            order by search_impressions desc, product_id asc
        ) as product_rank,
        count(*) over (partition by account_id, period_end, keyword_key) as matched_products
    from matched
)

select * from final
