-- X03 attribution (归因): for the Trade Assurance orders of buyers with a touch path (int_order_touch_paths: the
-- buyer's touchpoints from the first touch — or from the previous order — up to the order), the credit each channel
-- (渠道) and each keyword (关键词) gets under three models. Grain: account × attribution_model × dimension ×
-- dimension_value.
--   first_touch  the path's first touch gets the whole order;
--   last_touch   the path's last touch before the order gets the whole order;
--   linear       every touch of the path gets 1 / (touches on the path).
-- Dimension channel: every touch of the path (clicks and inquiry touches). Dimension keyword: only the touches
-- that carry a keyword (search / P4P clicks) form the keyword path; an order whose path has no keyword touch is
-- credited in full to '(no keyword)' under every model. So under every model and dimension the credits of an
-- order sum to 1, and the credits of an account sum to its attributed orders (tested:
-- tests/dbt/order/assert_attribution_credits_sum_to_attributed_orders.sql). Orders with an empty path
-- (e.g. re-orders without fresh touches) are not attributed; fct_time_to_order counts them.
-- credited_amount_usd = Σ credit × the order's amount (USD).
with

paths as (

    select * from {{ ref('int_order_touch_paths') }}
    where touches_in_path > 0

),

attribution_models as (

    select 'first_touch' as attribution_model
    union all
    select 'last_touch' as attribution_model
    union all
    select 'linear' as attribution_model

),

channel_credits as (

    select
        paths.account_id,
        paths.order_id,
        cast(paths.amount_usd as {{ gscor_type('double') }}) as amount_usd,
        attribution_models.attribution_model,
        'channel' as dimension,
        paths.channel as dimension_value,
        paths.channel_name_en as dimension_label_en,
        paths.channel_class,
        case
            when attribution_models.attribution_model = 'first_touch'
                then case when paths.touch_seq = 1 then 1.0 else 0.0 end
            when attribution_models.attribution_model = 'last_touch'
                then case when paths.touch_seq = paths.touches_in_path then 1.0 else 0.0 end
            else {{ gscor_divide('1.0', 'paths.touches_in_path') }}
        end as credit
    from paths
    cross join attribution_models

),

keyword_credits as (

    select
        paths.account_id,
        paths.order_id,
        cast(paths.amount_usd as {{ gscor_type('double') }}) as amount_usd,
        attribution_models.attribution_model,
        'keyword' as dimension,
        coalesce(paths.keyword, '(no keyword)') as dimension_value,
        coalesce(paths.keyword, '(no keyword)') as dimension_label_en,
        cast(null as {{ gscor_type('string') }}) as channel_class,
        case
            when paths.keyword_touches_in_path = 0
                then case when paths.touch_seq = 1 then 1.0 else 0.0 end
            when paths.keyword is null then 0.0
            when attribution_models.attribution_model = 'first_touch'
                then case when paths.keyword_seq = 1 then 1.0 else 0.0 end
            when attribution_models.attribution_model = 'last_touch'
                then case when paths.keyword_seq = paths.keyword_touches_in_path then 1.0 else 0.0 end
            else {{ gscor_divide('1.0', 'paths.keyword_touches_in_path') }}
        end as credit
    from paths
    cross join attribution_models

),

credits as (

    select * from channel_credits
    union all
    select * from keyword_credits

),

order_totals as (

    select
        account_id,
        count(distinct order_id) as attributed_orders,
        sum(cast(amount_usd as {{ gscor_type('double') }})) as attributed_amount_usd,
        min(ordered_at) as first_order_at,
        max(ordered_at) as last_order_at
    from (
        select distinct
            account_id,
            order_id,
            amount_usd,
            ordered_at
        from paths
    ) as attributed_orders
    group by account_id

),

aggregated as (

    select
        account_id,
        attribution_model,
        dimension,
        dimension_value,
        max(dimension_label_en) as dimension_label_en,
        max(channel_class) as channel_class,
        sum(credit) as credited_orders,
        sum(credit * coalesce(amount_usd, 0)) as credited_amount_usd,
        count(distinct case when credit > 0 then order_id end) as touched_orders
    from credits
    group by account_id, attribution_model, dimension, dimension_value
    having sum(credit) > 0

),

final as (

    select
        {{ gscor_surrogate_key([
            'aggregated.account_id', 'aggregated.attribution_model', 'aggregated.dimension', 'aggregated.dimension_value'
        ]) }} as attribution_key,
        aggregated.account_id,
        aggregated.attribution_model,
        aggregated.dimension,
        aggregated.dimension_value,
        aggregated.dimension_label_en,
        aggregated.channel_class,
        aggregated.credited_orders,
        aggregated.credited_amount_usd,
        aggregated.touched_orders,
        order_totals.attributed_orders,
        order_totals.attributed_amount_usd,
        {{ gscor_ratio('aggregated.credited_orders', 'order_totals.attributed_orders') }} as order_share,
        {{ gscor_ratio('aggregated.credited_amount_usd', 'order_totals.attributed_amount_usd') }} as amount_share,
        rank() over (
            partition by aggregated.account_id, aggregated.attribution_model, aggregated.dimension
            order by aggregated.credited_orders desc
        ) as credit_rank,
        cast(order_totals.first_order_at as date) as first_order_date,
        cast(order_totals.last_order_at as date) as last_order_date
    from aggregated
    inner join order_totals
        on aggregated.account_id = order_totals.account_id

)

select * from final
