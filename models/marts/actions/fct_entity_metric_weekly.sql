-- Weekly series of every trackable metric (the vocabulary in the seed effect_metrics): one row per account ×
-- entity_type × entity_id × metric × Sunday–Saturday week, read by fct_action_effects to judge a done action.
-- Only complete weeks: weekly exports as exported; daily sources only for weeks wholly inside the account's data
-- span of that source (fct_funnel_weekly: weeks of 7 shop days, or weeks built from weekly exports).
-- Densified: from an entity's first week on, a week in which the account has data for the source but the entity
-- has no row counts as 0 for additive metrics (a paused P4P keyword spends 0, a product missing from the weekly
-- export had no traffic); a ratio is recomputed from the filled parts, so it is null when its denominator is 0.
-- Unique visitors are never summed across weeks: store and product visitors come from weekly figures; channel
-- visitors exist only daily, so they are the week's sum of daily UV (is_daily_uv_sum, as fct_funnel_weekly does
-- when the store's visitors come from 店铺数据 days).
-- entity_id: 'store'; product_id; the normalised keyword text (keyword, p4p_keyword: gscor_normalise_keyword);
-- a channel by its canonical name (channel_name_zh, the raw text when unmapped) and by its channel_class.
-- Rule metrics (the finding's own metric and entity id, one week at a time): S03 opportunities (product: 询盘人数 +
-- TM咨询人数 of the weekly export, densified to 0 like visitors) here; C04–C07, G10, G11, S01, S05 come from
-- int_rule_metric_weekly. O04 weeks_of_stock and S02 quality_score have no weekly source (catalog snapshots), and
-- the monthly rules' metrics stay out of the weekly framework.
{%- set funnel_metrics = ['impressions', 'clicks', 'visitors', 'inquiries', 'ctr', 'inquiry_rate',
    'opportunity_rate', 'order_rate', 'order_rate_cohort', 'ta_orders'] %}
{%- set shop_metrics = ['bounce_rate', 'avg_reply_hours', 'timely_reply_rate', 'ta_amount_usd', 'aov_usd'] %}
{%- set product_metrics = ['search_impressions', 'search_clicks', 'search_ctr', 'visitors', 'inquiries',
    'opportunities'] %}
{%- set keyword_metrics = ['impressions', 'clicks', 'ctr'] %}
{%- set p4p_metrics = ['cpc_cny', 'spend_cny', 'clicks', 'inquiries'] %}
{%- set channel_metrics = ['visitors', 'opportunity_rate'] %}
with

effect_metrics as (

    select * from {{ ref('effect_metrics') }}

),

funnel as (

    select
        account_id,
        period_start as week_start,
        period_end as week_end,
        visitors_is_daily_sum,
        cast(impressions as {{ gscor_type('double') }}) as impressions,
        cast(clicks as {{ gscor_type('double') }}) as clicks,
        cast(visitors as {{ gscor_type('double') }}) as visitors,
        cast(inquiries as {{ gscor_type('double') }}) as inquiries,
        ctr,
        inquiry_rate,
        opportunity_rate,
        order_rate,
        order_rate_cohort,
        cast(ta_orders as {{ gscor_type('double') }}) as ta_orders
    from {{ ref('fct_funnel_weekly') }}
    where
        period_grain = 'week'
        and (shop_days_covered is null or shop_days_covered = 0 or shop_days_covered = 7)

),

shop_days as (

    select
        account_id,
        stat_date,
        {{ gscor_week_start('stat_date') }} as week_start,
        {{ gscor_week_end('stat_date') }} as week_end,
        store_visits,
        bounce_rate,
        avg_reply_hours,
        timely_reply_rate,
        ta_orders,
        ta_amount_usd
    from {{ ref('fct_shop_daily') }}

),

shop_days_complete as (

    {{ gscor_rows_in_complete_weeks('shop_days', 'stat_date') }}

),

shop_weeks as (

    select
        shop_days.account_id,
        shop_days.week_start,
        shop_days.week_end,
        coalesce(
            {{ gscor_ratio(
                'sum(shop_days.bounce_rate * shop_days.store_visits)',
                'sum(case when shop_days.bounce_rate is not null then shop_days.store_visits end)'
            ) }},
            avg(shop_days.bounce_rate)
        ) as bounce_rate,
        avg(shop_days.avg_reply_hours) as avg_reply_hours,
        avg(shop_days.timely_reply_rate) as timely_reply_rate,
        cast(sum(shop_days.ta_amount_usd) as {{ gscor_type('double') }}) as ta_amount_usd,
        {{ gscor_ratio('sum(shop_days.ta_amount_usd)', 'sum(shop_days.ta_orders)') }} as aov_usd
    from shop_days_complete as shop_days
    group by shop_days.account_id, shop_days.week_start, shop_days.week_end

),

channel_days as (

    select
        account_id,
        stat_date,
        {{ gscor_week_start('stat_date') }} as week_start,
        {{ gscor_week_end('stat_date') }} as week_end,
        coalesce(channel_name_zh, channel_normalised) as channel_name,
        channel_class,
        visitors,
        inquiry_buyers,
        tm_buyers
    from {{ ref('fct_traffic_channel_daily') }}

),

channel_days_complete as (

    {{ gscor_rows_in_complete_weeks('channel_days', 'stat_date') }}

),

channel_account_weeks as (

    select
        account_id,
        week_start,
        week_end,
        sum(visitors) as visitors,
        sum(case when channel_class = 'natural_search' then visitors else 0 end) as natural_search_visitors
    from channel_days_complete
    group by account_id, week_start, week_end

),

channel_entity_days as (

    select
        account_id,
        week_start,
        channel_name as entity_id,
        visitors,
        inquiry_buyers,
        tm_buyers
    from channel_days_complete
    union all
    select
        account_id,
        week_start,
        channel_class as entity_id,
        visitors,
        inquiry_buyers,
        tm_buyers
    from channel_days_complete

),

channel_entity_sums as (

    select
        account_id,
        entity_id,
        week_start,
        sum(visitors) as visitors,
        sum(coalesce(inquiry_buyers, 0) + coalesce(tm_buyers, 0)) as opportunity_buyers
    from channel_entity_days
    group by account_id, entity_id, week_start

),

channel_weeks as (

    {{ gscor_densify_entity_weeks('channel_entity_sums', 'channel_account_weeks', [
        'cast(coalesce(channel_entity_sums.visitors, 0) as ' ~ gscor_type('double') ~ ') as visitors',
        gscor_ratio('channel_entity_sums.opportunity_buyers', 'channel_entity_sums.visitors')
        ~ ' as opportunity_rate',
    ]) }}

),

product_rows as (

    select
        account_id,
        product_id as entity_id,
        period_start as week_start,
        period_end as week_end,
        search_impressions,
        search_clicks,
        visitors,
        inquiries,
        coalesce(inquiry_buyers, 0) + coalesce(tm_buyers, 0) as opportunities
    from {{ ref('fct_product_period') }}
    where period_grain = 'week' and product_id is not null

),

product_account_weeks as (

    select distinct
        account_id,
        week_start,
        week_end
    from product_rows

),

product_sums as (

    select
        account_id,
        entity_id,
        week_start,
        sum(search_impressions) as search_impressions,
        sum(search_clicks) as search_clicks,
        sum(visitors) as visitors,
        sum(inquiries) as inquiries,
        sum(opportunities) as opportunities
    from product_rows
    group by account_id, entity_id, week_start

),

product_weeks as (

    {{ gscor_densify_entity_weeks('product_sums', 'product_account_weeks', [
        'cast(coalesce(product_sums.search_impressions, 0) as ' ~ gscor_type('double') ~ ') as search_impressions',
        'cast(coalesce(product_sums.search_clicks, 0) as ' ~ gscor_type('double') ~ ') as search_clicks',
        gscor_ratio('product_sums.search_clicks', 'product_sums.search_impressions') ~ ' as search_ctr',
        'cast(coalesce(product_sums.visitors, 0) as ' ~ gscor_type('double') ~ ') as visitors',
        'cast(coalesce(product_sums.inquiries, 0) as ' ~ gscor_type('double') ~ ') as inquiries',
        'cast(coalesce(product_sums.opportunities, 0) as ' ~ gscor_type('double') ~ ') as opportunities',
    ]) }}

),

keyword_rows as (

    select
        account_id,
        keyword_normalised as entity_id,
        period_start as week_start,
        period_end as week_end,
        impressions,
        clicks
    from {{ ref('fct_keyword_period') }}
    where period_grain = 'week' and keyword_normalised is not null and keyword_normalised != ''

),

keyword_account_weeks as (

    select distinct
        account_id,
        week_start,
        week_end
    from keyword_rows

),

keyword_sums as (

    select
        account_id,
        entity_id,
        week_start,
        sum(impressions) as impressions,
        sum(clicks) as clicks
    from keyword_rows
    group by account_id, entity_id, week_start

),

keyword_weeks as (

    {{ gscor_densify_entity_weeks('keyword_sums', 'keyword_account_weeks', [
        'cast(coalesce(keyword_sums.impressions, 0) as ' ~ gscor_type('double') ~ ') as impressions',
        'cast(coalesce(keyword_sums.clicks, 0) as ' ~ gscor_type('double') ~ ') as clicks',
        gscor_ratio('keyword_sums.clicks', 'keyword_sums.impressions') ~ ' as ctr',
    ]) }}

),

p4p_days as (

    select
        account_id,
        stat_date,
        keyword_normalised as entity_id,
        {{ gscor_week_start('stat_date') }} as week_start,
        {{ gscor_week_end('stat_date') }} as week_end,
        spend_cny,
        clicks,
        inquiries
    from {{ ref('fct_p4p_keyword_daily') }}
    where keyword_normalised is not null and keyword_normalised != ''

),

p4p_days_complete as (

    {{ gscor_rows_in_complete_weeks('p4p_days', 'stat_date') }}

),

p4p_account_weeks as (

    select distinct
        account_id,
        week_start,
        week_end
    from p4p_days_complete

),

p4p_sums as (

    select
        account_id,
        entity_id,
        week_start,
        sum(spend_cny) as spend_cny,
        sum(clicks) as clicks,
        sum(inquiries) as inquiries
    from p4p_days
    group by account_id, entity_id, week_start

),

p4p_weeks as (

    {{ gscor_densify_entity_weeks('p4p_sums', 'p4p_account_weeks', [
        gscor_ratio('p4p_sums.spend_cny', 'p4p_sums.clicks') ~ ' as cpc_cny',
        'cast(coalesce(p4p_sums.spend_cny, 0) as ' ~ gscor_type('double') ~ ') as spend_cny',
        'cast(coalesce(p4p_sums.clicks, 0) as ' ~ gscor_type('double') ~ ') as clicks',
        'cast(coalesce(p4p_sums.inquiries, 0) as ' ~ gscor_type('double') ~ ') as inquiries',
    ]) }}

),

unpivoted as (

    {%- for m in funnel_metrics %}
        select
            account_id,
            'store' as entity_type,
            'store' as entity_id,
            '{{ m }}' as metric,
            week_start,
            week_end,
            {{ m }} as value,  -- noqa: RF04
            {{ "coalesce(visitors_is_daily_sum, false)" if m == 'visitors' else "false" }} as is_daily_uv_sum,
            'fct_funnel_weekly' as source_model
        from funnel
        union all
    {%- endfor %}
    {%- for m in shop_metrics %}
        select
            account_id,
            'store' as entity_type,
            'store' as entity_id,
            '{{ m }}' as metric,
            week_start,
            week_end,
            {{ m }} as value,  -- noqa: RF04
            false as is_daily_uv_sum,
            'fct_shop_daily' as source_model
        from shop_weeks
        union all
    {%- endfor %}
    select
        account_id,
        'store' as entity_type,
        'store' as entity_id,
        'natural_search_share' as metric,
        week_start,
        week_end,
        {{ gscor_ratio('natural_search_visitors', 'visitors') }} as value,  -- noqa: RF04
        true as is_daily_uv_sum,
        'fct_traffic_channel_daily' as source_model
    from channel_account_weeks
    {%- for m in channel_metrics %}
        union all
        select
            account_id,
            'channel' as entity_type,
            entity_id,
            '{{ m }}' as metric,
            week_start,
            week_end,
            {{ m }} as value,  -- noqa: RF04
            true as is_daily_uv_sum,
            'fct_traffic_channel_daily' as source_model
        from channel_weeks
    {%- endfor %}
    {%- for m in product_metrics %}
        union all
        select
            account_id,
            'product' as entity_type,
            entity_id,
            '{{ m }}' as metric,
            week_start,
            week_end,
            {{ m }} as value,  -- noqa: RF04
            false as is_daily_uv_sum,
            'fct_product_period' as source_model
        from product_weeks
    {%- endfor %}
    {%- for m in keyword_metrics %}
        union all
        select
            account_id,
            'keyword' as entity_type,
            entity_id,
            '{{ m }}' as metric,
            week_start,
            week_end,
            {{ m }} as value,  -- noqa: RF04
            false as is_daily_uv_sum,
            'fct_keyword_period' as source_model
        from keyword_weeks
    {%- endfor %}
    {%- for m in p4p_metrics %}
        union all
        select
            account_id,
            'p4p_keyword' as entity_type,
            entity_id,
            '{{ m }}' as metric,
            week_start,
            week_end,
            {{ m }} as value,  -- noqa: RF04
            false as is_daily_uv_sum,
            'fct_p4p_keyword_daily' as source_model
        from p4p_weeks
    {%- endfor %}
    union all
    select
        account_id,
        entity_type,
        entity_id,
        metric,
        week_start,
        week_end,
        value,  -- noqa: RF04
        false as is_daily_uv_sum,
        source_model
    from {{ ref('int_rule_metric_weekly') }}

),

final as (

    select
        {{ gscor_surrogate_key([
            'unpivoted.account_id', 'unpivoted.entity_type', 'unpivoted.entity_id', 'unpivoted.metric',
            'unpivoted.week_start'
        ]) }} as entity_metric_week_sk,
        unpivoted.account_id,
        unpivoted.entity_type,
        unpivoted.entity_id,
        unpivoted.metric,
        unpivoted.week_start,
        unpivoted.week_end,
        cast(unpivoted.value as {{ gscor_type('double') }}) as value,  -- noqa: RF04
        effect_metrics.higher_is_better,
        unpivoted.is_daily_uv_sum,
        unpivoted.source_model
    from unpivoted
    inner join effect_metrics
        on
            unpivoted.entity_type = effect_metrics.entity_type
            and unpivoted.metric = effect_metrics.metric

)

select * from final
