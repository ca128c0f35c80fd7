-- R03 流失原因集中 Churn reason pattern (monthly, store; trailing quarter).
-- Lost deals: CRM customers with a 流失原因 (dim_customer.churn_reason), dated by their last contact
-- (dim_customer.last_contact_date: the latest of the CRM 最近联系日期 and their inquiries / TM conversations).
-- Quarters are the three calendar months ending with a complete month: its last day is on or before the account's
-- CRM snapshot date (dim_customer.crm_snapshot_date). The quarter's most frequent reason (ties: the reason text)
-- fires when its share of the quarter's lost deals > max_reason_share and there are at least min_lost_deals.
--   metric churn_reason_share; value = share; threshold = max_reason_share; benchmark null
--   severity   share >= max_reason_share + 0.3 high, >= max_reason_share + 0.15 medium, else low
--   impact     orders per week: the deals lost to that reason beyond the tolerated share (each a lost order),
--              (reason deals - max_reason_share x lost deals) x 7 / days in the quarter
with

params as ({{ gscor_rule_params('R03', ['max_reason_share', 'min_lost_deals']) }}),

customers as (

    select * from {{ ref('dim_customer') }}

),

dates as (

    select * from {{ ref('dim_date') }}

),

lost_deals as (

    select
        account_id,
        trim(churn_reason) as churn_reason,
        last_contact_date as lost_date
    from customers
    where
        churn_reason is not null
        and trim(churn_reason) <> ''
        and last_contact_date is not null

),

snapshots as (

    select
        account_id,
        max(crm_snapshot_date) as data_end
    from customers
    group by account_id

),

coverage as (

    select
        lost_deals.account_id,
        min(lost_deals.lost_date) as data_start,
        max(snapshots.data_end) as data_end
    from lost_deals
    inner join snapshots
        on lost_deals.account_id = snapshots.account_id
    group by lost_deals.account_id

),

quarters as (

    select distinct
        coverage.account_id,
        {{ gscor_add_months('-2', 'dates.month_start') }} as quarter_start,
        dates.month_end as quarter_end
    from coverage
    inner join dates
        on dates.month_end between coverage.data_start and coverage.data_end

),

reason_counts as (

    select
        quarters.account_id,
        quarters.quarter_start,
        quarters.quarter_end,
        lost_deals.churn_reason,
        count(*) as reason_deals,
        sum(count(*)) over (partition by quarters.account_id, quarters.quarter_end) as lost_deals,
        row_number() over (
            partition by quarters.account_id, quarters.quarter_end
            order by count(*) desc, lost_deals.churn_reason
        ) as reason_rank
    from quarters
    inner join lost_deals
        on
            quarters.account_id = lost_deals.account_id
            and lost_deals.lost_date between quarters.quarter_start and quarters.quarter_end
    group by quarters.account_id, quarters.quarter_start, quarters.quarter_end, lost_deals.churn_reason

),

evaluated as (

    select
        top_reason.*,
        {{ gscor_ratio('top_reason.reason_deals', 'top_reason.lost_deals') }} as reason_share,
        second_reason.churn_reason as second_reason,
        second_reason.reason_deals as second_reason_deals,
        params.max_reason_share,
        {{ gscor_days_between('top_reason.quarter_start', 'top_reason.quarter_end') }} + 1 as days_in_period,
        case top_reason.churn_reason
            when '价格' then 'price'
            when '交期' then 'lead time'
            when '质量' then 'quality'
            when '起订量' then 'minimum order quantity'
            when '无回复' then 'no reply'
            when '付款方式' then 'payment terms'
            else top_reason.churn_reason
        end as reason_en
    from reason_counts as top_reason
    inner join params
        on top_reason.account_id = params.account_id
    left join reason_counts as second_reason
        on
            top_reason.account_id = second_reason.account_id
            and top_reason.quarter_end = second_reason.quarter_end
            and second_reason.reason_rank = 2
    where
        top_reason.reason_rank = 1
        and top_reason.lost_deals >= params.min_lost_deals

),

findings as (

    select
        account_id,
        'R03' as rule_id,
        'R' as stage,  -- noqa: RF04
        case
            when reason_share >= max_reason_share + 0.3 then 'high'
            when reason_share >= max_reason_share + 0.15 then 'medium'
            else 'low'
        end as severity,
        'store' as entity_type,
        'store' as entity_id,
        account_id as entity_label,
        'quarter' as period_grain,
        quarter_start as period_start,
        quarter_end as period_end,
        'churn_reason_share' as metric,
        reason_share as value,  -- noqa: RF04
        max_reason_share as threshold,
        cast(null as {{ gscor_type('double') }}) as benchmark,
        greatest(reason_deals - max_reason_share * lost_deals, 0) * {{ gscor_divide(
            '7.0',
            'days_in_period'
        ) }} as impact_estimate,
        'orders' as impact_unit,
        'ADDRESS_CHURN_REASON' as action_code,
        '针对流失原因「' || churn_reason || '」制定对策：' || cast(quarter_start as {{ gscor_type('string') }}) || ' 至 '
        || cast(quarter_end as {{ gscor_type('string') }}) || ' 流失客户 ' || {{ gscor_fmt_num('lost_deals') }}
        || ' 个，其中 ' || {{ gscor_fmt_num('reason_deals') }} || ' 个因「' || churn_reason || '」（'
        || {{ gscor_fmt_pct('reason_share') }} || '，阈值 ' || {{ gscor_fmt_pct('max_reason_share', 0) }} || '）'
            as action_text_zh,
        'Address the churn reason "' || reason_en || '" (' || churn_reason || '): '
        || {{ gscor_fmt_num('reason_deals') }} || ' of ' || {{ gscor_fmt_num('lost_deals') }} || ' deals lost from '
        || {{ gscor_cast('quarter_start', 'string') }} || ' to ' || {{ gscor_cast('quarter_end', 'string') }}
        || ' (' || {{ gscor_fmt_pct('reason_share') }} || ', threshold '
        || {{ gscor_fmt_pct('max_reason_share', 0) }} || ')' as action_text_en,
        cast(null as {{ gscor_type('string') }}) as owner,  -- noqa: RF04
        churn_reason || ' ' || {{ gscor_fmt_num('reason_deals') }} || ' of ' || {{ gscor_fmt_num('lost_deals') }}
        || ' lost deals'
        || coalesce('; next: ' || second_reason || ' ' || {{ gscor_fmt_num('second_reason_deals') }}, '')
            as evidence_detail
    from evaluated
    where reason_share > max_reason_share

)

{{ gscor_finding_record('findings') }}
