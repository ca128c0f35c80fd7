-- What one unit of a finding's impact is worth in USD, per account, so findings in different units (lost
-- impressions, clicks, visitors, inquiries, orders, wasted CNY, revenue at risk) rank on one scale in the action
-- plan. Grain: account_id (every account of dim_account, with or without funnel data).
--
-- The value chain has five links. Each link's value, in this order of precedence:
--   account_override  the account's own row in the seed unit_value_defaults (the user's figure wins);
--   store_data        the store's own rate over its last 13 weeks of fct_funnel_weekly (ending at its latest
--                     week), when its base reaches the seed's min_store_base and the rate is above 0;
--   seed_default      the seed's global row (each row's source_note says where the value comes from).
-- Links and the store's rate (only weeks where both counts are known):
--   usd_per_order          TA order amount / TA orders placed in the window (fct_order_lines); base = orders
--   orders_per_inquiry     Σ weekly TA orders / Σ weekly inquiries; base = inquiries
--   inquiries_per_click    Σ weekly inquiries / Σ weekly clicks; base = clicks
--   clicks_per_impression  Σ weekly clicks / Σ weekly impressions; base = impressions
--   inquiries_per_visitor  mean of the weekly inquiry rates (inquiry buyers / visitors: unique visitors are never
--                          summed across weeks for the rate); base = Σ weekly visitors (visitor-weeks)
-- Unit values (USD per unit; a finding's impact is per week, so its USD is per week too):
--   usd_per_inquiry    = usd_per_order × orders_per_inquiry
--   usd_per_click      = usd_per_inquiry × inquiries_per_click
--   usd_per_impression = usd_per_click × clicks_per_impression
--   usd_per_visitor    = usd_per_inquiry × inquiries_per_visitor
--   usd_per_cny        = the fx_rates rate valid on the window's last day (the latest rate without funnel data)
{%- set links = ['usd_per_order', 'orders_per_inquiry', 'inquiries_per_click', 'clicks_per_impression',
                 'inquiries_per_visitor'] %}
with

accounts as (

    select account_id from {{ ref('dim_account') }}

),

funnel as (

    select
        account_id,
        period_start,
        period_end,
        impressions,
        clicks,
        visitors,
        inquiries,
        ta_orders,
        inquiry_rate,
        max(period_end) over (partition by account_id) as last_week_end
    from {{ ref('fct_funnel_weekly') }}

),

windowed as (

    select * from funnel
    where period_end > {{ gscor_add_days(-91, 'last_week_end') }}

),

funnel_rates as (

    select
        account_id,
        min(period_start) as window_start,
        max(period_end) as window_end,
        count(*) as window_weeks,
        {{ gscor_ratio(
            'sum(case when inquiries is not null then ta_orders end)',
            'sum(case when ta_orders is not null then inquiries end)'
        ) }} as orders_per_inquiry_store,
        sum(case when ta_orders is not null then inquiries end) as orders_per_inquiry_base,
        {{ gscor_ratio(
            'sum(case when clicks is not null then inquiries end)',
            'sum(case when inquiries is not null then clicks end)'
        ) }} as inquiries_per_click_store,
        sum(case when inquiries is not null then clicks end) as inquiries_per_click_base,
        {{ gscor_ratio(
            'sum(case when impressions is not null then clicks end)',
            'sum(case when clicks is not null then impressions end)'
        ) }} as clicks_per_impression_store,
        sum(case when clicks is not null then impressions end) as clicks_per_impression_base,
        avg(inquiry_rate) as inquiries_per_visitor_store,
        sum(case when inquiry_rate is not null then visitors end) as inquiries_per_visitor_base
    from windowed
    group by account_id

),

orders as (

    select
        funnel_rates.account_id,
        {{ gscor_ratio('sum(order_lines.amount_usd)', 'count(distinct order_lines.order_id)') }}
            as usd_per_order_store,
        count(distinct order_lines.order_id) as usd_per_order_base
    from funnel_rates
    inner join {{ ref('fct_order_lines') }} as order_lines
        on
            funnel_rates.account_id = order_lines.account_id
            and cast(order_lines.ordered_at as date) between funnel_rates.window_start and funnel_rates.window_end
    group by funnel_rates.account_id

),

seed as (

    select
        link,
        value,
        account_id,
        min_store_base
    from {{ ref('unit_value_defaults') }}

),

seed_resolved as (

    select
        accounts.account_id,
        global_rows.link,
        global_rows.value as default_value,
        global_rows.min_store_base,
        account_rows.value as override_value
    from accounts
    cross join seed as global_rows
    left join seed as account_rows
        on
            accounts.account_id = account_rows.account_id
            and global_rows.link = account_rows.link
    where global_rows.account_id is null

),

cny as (

    select
        accounts.account_id,
        cast(fx.rate_to_usd as {{ gscor_type('double') }}) as usd_per_cny
    from accounts
    left join funnel_rates
        on accounts.account_id = funnel_rates.account_id
    inner join {{ ref('int_fx_rates_ranged') }} as fx
        on
            fx.currency = 'CNY'
            and (
                (funnel_rates.window_end is null and fx.valid_to is null)
                or (
                    funnel_rates.window_end >= fx.valid_from
                    and (fx.valid_to is null or funnel_rates.window_end < fx.valid_to)
                )
            )

),

store as (

    select
        accounts.account_id,
        funnel_rates.window_start,
        funnel_rates.window_end,
        coalesce(funnel_rates.window_weeks, 0) as window_weeks,
        orders.usd_per_order_store,
        coalesce(orders.usd_per_order_base, 0) as usd_per_order_base,
        funnel_rates.orders_per_inquiry_store,
        coalesce(funnel_rates.orders_per_inquiry_base, 0) as orders_per_inquiry_base,
        funnel_rates.inquiries_per_click_store,
        coalesce(funnel_rates.inquiries_per_click_base, 0) as inquiries_per_click_base,
        funnel_rates.clicks_per_impression_store,
        coalesce(funnel_rates.clicks_per_impression_base, 0) as clicks_per_impression_base,
        funnel_rates.inquiries_per_visitor_store,
        coalesce(funnel_rates.inquiries_per_visitor_base, 0) as inquiries_per_visitor_base
    from accounts
    left join funnel_rates on accounts.account_id = funnel_rates.account_id
    left join orders on accounts.account_id = orders.account_id

),

chain as (

    select
        store.account_id,
        store.window_start,
        store.window_end,
        store.window_weeks,
        {% for link in links %}
            case
                when seed_{{ link }}.override_value is not null then seed_{{ link }}.override_value
                when
                    store.{{ link }}_store > 0
                    and store.{{ link }}_base >= seed_{{ link }}.min_store_base
                    then store.{{ link }}_store
                else seed_{{ link }}.default_value
            end as {{ link }},
            case
                when seed_{{ link }}.override_value is not null then 'account_override'
                when
                    store.{{ link }}_store > 0
                    and store.{{ link }}_base >= seed_{{ link }}.min_store_base
                    then 'store_data'
                else 'seed_default'
            end as {{ link }}_source,
            store.{{ link }}_store,
            store.{{ link }}_base,
        {% endfor %}
        cny.usd_per_cny
    from store
    {% for link in links %}
        left join seed_resolved as seed_{{ link }}
            on
                store.account_id = seed_{{ link }}.account_id
                and seed_{{ link }}.link = '{{ link }}'
    {% endfor %}
    left join cny on store.account_id = cny.account_id

),

final as (

    select
        *,
        usd_per_order * orders_per_inquiry as usd_per_inquiry,
        usd_per_order * orders_per_inquiry * inquiries_per_click as usd_per_click,
        usd_per_order * orders_per_inquiry * inquiries_per_click * clicks_per_impression as usd_per_impression,
        usd_per_order * orders_per_inquiry * inquiries_per_visitor as usd_per_visitor
    from chain

)

select * from final
