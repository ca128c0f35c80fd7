-- R02 重要客户沉睡 Customers going quiet (weekly, customer).
-- For every week (Sunday-Saturday) ending between the account's first order and its order-data end (the latest
-- export_end_date of fct_order_lines), every S or A customer (dim_customer.customer_tier: CRM 客户分级, else derived;
-- the tier is the current one, also for past weeks) with at least two order days up to the week end. Needs the
-- CRM export (客户管理, report type customers): an account without a CRM snapshot gets no finding.
--   usual interval  the median of the days between consecutive order days up to the week end (fct_order_lines)
--   last activity   the latest of: last order day, last inquiry / TM conversation (int_buyer_events_unioned) and the
--                   CRM 最近联系日期 (dim_customer.last_contact_date, used only when it is not after the week end:
--                   the CRM is a snapshot, earlier contacts it does not keep are unknown)
--   silence         week end - last activity, in days
--   fires when silence > silence_vs_interval x usual interval
--   metric days_silent; value = silence; threshold = silence_vs_interval x interval; benchmark = usual interval
--   owner    the customer's 负责人 (CRM account manager)
--   severity silence / threshold >= 2 high, >= 1.5 medium, else low
--   impact   usd per week: the customer's run rate, average order amount up to the week end x 7 / usual interval
with

params as ({{ gscor_rule_params('R02', ['silence_vs_interval']) }}),

order_lines as (

    select * from {{ ref('fct_order_lines') }}

),

customers as (

    select * from {{ ref('dim_customer') }}

),

events as (

    select * from {{ ref('int_buyer_events_unioned') }}

),

dates as (

    select * from {{ ref('dim_date') }}

),

coverage as (

    select * from {{ ref('int_order_data_coverage') }}

),

crm_accounts as (

    select account_id
    from customers
    where crm_snapshot_date is not null
    group by account_id

),

key_customers as (

    select
        customers.account_id,
        customers.customer_key,
        coalesce(customers.crm_customer_id, customers.customer_key) as customer_ref,
        coalesce(customers.crm_customer_id, 'buyer ' || substring(customers.customer_key, 1, 8))
        || ' (' || customers.customer_tier || coalesce(', ' || customers.country, '') || ')' as customer_label,
        customers.customer_tier,
        customers.account_manager,
        customers.last_contact_date
    from customers
    inner join crm_accounts
        on customers.account_id = crm_accounts.account_id
    where customers.customer_tier in ('S', 'A')

),

order_days as (

    select
        order_lines.account_id,
        order_lines.customer_key,
        order_lines.period_start as order_date,
        count(distinct order_lines.order_id) as orders,
        sum(order_lines.amount_usd) as amount_usd  -- DECIMAL: exact in any row order
    from order_lines
    inner join key_customers
        on
            order_lines.account_id = key_customers.account_id
            and order_lines.customer_key = key_customers.customer_key
    group by order_lines.account_id, order_lines.customer_key, order_lines.period_start

),

order_gaps as (

    select
        *,
        {{ gscor_days_between(
            'lag(order_date) over (partition by account_id, customer_key order by order_date)', 'order_date'
        ) }} as gap_days
    from order_days

),

weeks as (

    select distinct
        coverage.account_id,
        dates.week_end
    from coverage
    inner join dates
        on dates.week_end between coverage.first_order_date and coverage.data_end

),

customer_weeks as (

    select
        key_customers.account_id,
        key_customers.customer_key,
        weeks.week_end,
        max(order_gaps.order_date) as last_order_date,
        count(*) as order_days,
        sum(order_gaps.orders) as orders,
        cast(sum(order_gaps.amount_usd) as {{ gscor_type('double') }}) as amount_usd,
        {{ gscor_percentile('order_gaps.gap_days', 0.5) }} as usual_interval_days
    from key_customers
    inner join weeks
        on key_customers.account_id = weeks.account_id
    inner join order_gaps
        on
            key_customers.account_id = order_gaps.account_id
            and key_customers.customer_key = order_gaps.customer_key
            and weeks.week_end >= order_gaps.order_date
    group by key_customers.account_id, key_customers.customer_key, weeks.week_end

),

contacts as (

    select
        customer_weeks.account_id,
        customer_weeks.customer_key,
        customer_weeks.week_end,
        max(events.event_date) as last_event_date
    from customer_weeks
    inner join events
        on
            customer_weeks.account_id = events.account_id
            and customer_weeks.customer_key = events.customer_key
            and customer_weeks.week_end >= events.event_date
    where events.event_type in ('inquiry', 'tm')
    group by customer_weeks.account_id, customer_weeks.customer_key, customer_weeks.week_end

),

evaluated as (

    select
        customer_weeks.*,
        key_customers.customer_ref,
        key_customers.customer_label,
        key_customers.customer_tier,
        key_customers.account_manager,
        params.silence_vs_interval,
        greatest(
            customer_weeks.last_order_date,
            coalesce(contacts.last_event_date, customer_weeks.last_order_date),
            case
                when key_customers.last_contact_date <= customer_weeks.week_end then key_customers.last_contact_date
                else customer_weeks.last_order_date
            end
        ) as last_activity_date
    from customer_weeks
    inner join key_customers
        on
            customer_weeks.account_id = key_customers.account_id
            and customer_weeks.customer_key = key_customers.customer_key
    inner join params
        on customer_weeks.account_id = params.account_id
    left join contacts
        on
            customer_weeks.account_id = contacts.account_id
            and customer_weeks.customer_key = contacts.customer_key
            and customer_weeks.week_end = contacts.week_end
    where customer_weeks.order_days >= 2

),

fired as (

    select
        *,
        {{ gscor_days_between('last_activity_date', 'week_end') }} as days_silent,
        silence_vs_interval * usual_interval_days as silence_threshold_days
    from evaluated
    where
        {{ gscor_days_between('last_activity_date', 'week_end') }} > silence_vs_interval * usual_interval_days

),

findings as (

    select
        account_id,
        'R02' as rule_id,
        'R' as stage,  -- noqa: RF04
        case
            when days_silent >= 2 * silence_threshold_days then 'high'
            when days_silent >= 1.5 * silence_threshold_days then 'medium'
            else 'low'
        end as severity,
        'customer' as entity_type,
        customer_ref as entity_id,
        customer_label as entity_label,
        'week' as period_grain,
        {{ gscor_add_days('-6', 'week_end') }} as period_start,
        week_end as period_end,
        'days_silent' as metric,
        days_silent as value,  -- noqa: RF04
        silence_threshold_days as threshold,
        usual_interval_days as benchmark,
        {{ gscor_ratio('amount_usd', 'orders') }} * {{ gscor_divide(
            '7.0',
            'greatest(usual_interval_days, 1)'
        ) }} as impact_estimate,
        'usd' as impact_unit,
        'CONTACT_QUIET_CUSTOMER' as action_code,
        '本周联系' || customer_tier || '级客户「' || customer_ref || '」：已 ' || {{ gscor_fmt_num('days_silent') }}
        || ' 天无联系、无订单（最近一次 ' || cast(last_activity_date as {{ gscor_type('string') }}) || '），平时约每 '
        || {{ gscor_fmt_num('usual_interval_days') }} || ' 天下单一次；跟进人 ' || coalesce(account_manager, '未指定')
            as action_text_zh,
        'Contact ' || customer_tier || ' customer ' || customer_ref || ' this week: no contact and no order for '
        || {{ gscor_fmt_num('days_silent') }}
        || ' days (last on '
        || cast(last_activity_date as {{ gscor_type('string') }})
        || ') while they usually order every ' || {{ gscor_fmt_num('usual_interval_days') }} || ' days; owner '
        || coalesce(account_manager, 'unassigned') as action_text_en,
        account_manager as owner,  -- noqa: RF04
        {{ gscor_fmt_num('orders') }} || ' TA orders worth US$' || {{ gscor_fmt_num('amount_usd') }}
        || ' up to the week end; last order ' || cast(last_order_date as {{ gscor_type('string') }}) as evidence_detail
    from fired

)

{{ gscor_finding_record('findings') }}
