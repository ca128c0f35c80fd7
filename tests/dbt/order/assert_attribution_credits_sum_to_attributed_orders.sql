-- X03 reconciliation: under every attribution model and dimension, the credits of an account sum to its attributed
-- orders (orders of int_order_touch_paths with a non-empty path) and the credited amounts to their amount; the 'all'
-- row of fct_time_to_order counts the same attributed orders; and every account with attributed orders has all six
-- model × dimension combinations. Returns the mismatches.
with

expected as (

    select
        account_id,
        count(distinct order_id) as attributed_orders,
        sum(amount_usd) as attributed_amount_usd
    from (
        select distinct
            account_id,
            order_id,
            cast(coalesce(amount_usd, 0) as {{ gscor_type('double') }}) as amount_usd
        from {{ ref('int_order_touch_paths') }}
        where touches_in_path > 0
    ) as attributed
    group by account_id

),

model_names as (

    select 'first_touch' as attribution_model
    union all
    select 'last_touch' as attribution_model
    union all
    select 'linear' as attribution_model

),

dimension_names as (

    select 'channel' as dimension
    union all
    select 'keyword' as dimension

),

combinations as (

    select
        expected.account_id,
        expected.attributed_orders,
        expected.attributed_amount_usd,
        model_names.attribution_model,
        dimension_names.dimension
    from expected
    cross join model_names
    cross join dimension_names

),

credited as (

    select
        account_id,
        attribution_model,
        dimension,
        sum(credited_orders) as credited_orders,
        sum(credited_amount_usd) as credited_amount_usd
    from {{ ref('fct_attribution') }}
    group by account_id, attribution_model, dimension

),

time_to_order as (

    select
        account_id,
        attributed_orders
    from {{ ref('fct_time_to_order') }}
    where period_grain = 'all'

),

compared as (

    select
        coalesce(combinations.account_id, credited.account_id) as account_id,
        coalesce(combinations.attribution_model, credited.attribution_model) as attribution_model,
        coalesce(combinations.dimension, credited.dimension) as dimension,
        combinations.attributed_orders,
        credited.credited_orders,
        combinations.attributed_amount_usd,
        credited.credited_amount_usd,
        time_to_order.attributed_orders as time_to_order_attributed_orders
    from combinations
    full outer join credited
        on
            combinations.account_id = credited.account_id
            and combinations.attribution_model = credited.attribution_model
            and combinations.dimension = credited.dimension
    left join time_to_order
        on coalesce(combinations.account_id, credited.account_id) = time_to_order.account_id

)

select *
from compared
where
    attributed_orders is null
    or credited_orders is null
    or abs(credited_orders - attributed_orders) > 1e-6
    or abs(credited_amount_usd - attributed_amount_usd) > 1e-6 * (1 + abs(attributed_amount_usd))
    or time_to_order_attributed_orders is distinct from attributed_orders
