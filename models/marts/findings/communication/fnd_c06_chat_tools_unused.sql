-- C06 chat tools unused (沟通工具使用不足). One finding per account × back-office week whose share of TM conversations
-- (TM咨询, fct_conversations conversation_type tm) that used a quick reply (快捷回复) or sent a product card
-- (产品卡片) is below min_tool_usage. A week needs min_tm_conversations conversations whose tool flags are known.
-- Owner: the 接待人 (fct_conversations.follower) holding more than owner_min_share of the week's conversations
-- without either tool; NULL when no single agent dominates (the report falls back to the role).
-- Severity: share ≤ 0.5 × threshold high, ≤ 0.75 × threshold medium, else low.
-- Impact (inquiries, per week — a TM conversation is a buyer inquiry, 商机): the conversations short of the
-- target, min_tool_usage × conversations − conversations with a tool.
with

params as ({{ gscor_rule_params('C06', ['min_tool_usage', 'min_tm_conversations', 'owner_min_share']) }}),

conversations as (
    select
        tm.account_id,
        tm.follower,
        dates.week_start,
        dates.week_end,
        case when tm.used_quick_reply or tm.sent_product_card then 1 else 0 end as used_tool,
        case when tm.used_quick_reply then 1 else 0 end as used_quick_reply,
        case when tm.sent_product_card then 1 else 0 end as sent_product_card
    from {{ ref('fct_conversations') }} as tm
    inner join {{ ref('dim_date') }} as dates
        on tm.period_start = dates.date_day
    where
        tm.conversation_type = 'tm'
        and (tm.used_quick_reply is not null or tm.sent_product_card is not null)
),

weeks as (
    select
        account_id,
        week_start,
        week_end,
        count(*) as tm_conversations,
        sum(used_tool) as tool_conversations,
        sum(used_quick_reply) as quick_reply_conversations,
        sum(sent_product_card) as product_card_conversations
    from conversations
    group by account_id, week_start, week_end
),

agents as (
    select
        account_id,
        week_end,
        follower,
        {{ gscor_ratio('count(*)', 'sum(count(*)) over (partition by account_id, week_end)') }} as no_tool_share,
        row_number() over (partition by account_id, week_end order by count(*) desc, follower) as agent_rank
    from conversations
    where used_tool = 0 and follower is not null
    group by account_id, week_end, follower
),

fired as (
    select
        weeks.*,
        params.min_tool_usage,
        {{ gscor_ratio('weeks.tool_conversations', 'weeks.tm_conversations') }} as tool_usage,
        agents.follower as owner  -- noqa: RF04
    from weeks
    inner join params
        on weeks.account_id = params.account_id
    left join agents
        on
            weeks.account_id = agents.account_id
            and weeks.week_end = agents.week_end
            and agents.agent_rank = 1
            and params.owner_min_share < agents.no_tool_share
    where
        weeks.tm_conversations >= params.min_tm_conversations
        and {{ gscor_ratio('weeks.tool_conversations', 'weeks.tm_conversations') }} < params.min_tool_usage
),

findings as (
    select
        account_id,
        'C06' as rule_id,
        'C' as stage,  -- noqa: RF04
        case
            when tool_usage <= 0.5 * min_tool_usage then 'high'
            when tool_usage <= 0.75 * min_tool_usage then 'medium'
            else 'low'
        end as severity,
        'store' as entity_type,
        'store' as entity_id,
        account_id as entity_label,
        'week' as period_grain,
        week_start as period_start,
        week_end as period_end,
        'tm_tool_usage_rate' as metric,
        tool_usage as value,  -- noqa: RF04
        min_tool_usage as threshold,
        null as benchmark,
        greatest(min_tool_usage * tm_conversations - tool_conversations, 0) as impact_estimate,
        'inquiries' as impact_unit,
        'TRAIN_CHAT_TEMPLATES' as action_code,
        '为店铺 ' || account_id || ' 的接待人' || coalesce('（重点：' || owner || '）', '')
        || '设置快捷回复模板并培训发送产品卡片：本周 ' || {{ gscor_fmt_num('tm_conversations') }}
        || ' 个TM咨询中只有 ' || {{ gscor_fmt_pct('tool_usage', 0) }} || ' 用了快捷回复或产品卡片（目标 '
        || {{ gscor_fmt_pct('min_tool_usage', 0) }} || '）' as action_text_zh,
        'Set up quick-reply templates and train the agents of store ' || account_id
        || coalesce(' (above all ' || owner || ')', '') || ' to send product cards: only '
        || {{ gscor_fmt_pct('tool_usage', 0) }} || ' of this week''s ' || {{ gscor_fmt_num('tm_conversations') }}
        || ' TM conversations used a quick reply or a product card (target '
        || {{ gscor_fmt_pct('min_tool_usage', 0) }} || ')' as action_text_en,
        owner,
        'quick replies ' || {{ gscor_fmt_num('quick_reply_conversations') }} || ', product cards '
        || {{ gscor_fmt_num('product_card_conversations') }} || ', either ' || {{ gscor_fmt_num('tool_conversations') }}
        || ' of ' || {{ gscor_fmt_num('tm_conversations') }} || ' TM conversations' as evidence_detail
    from fired
)

{{ gscor_finding_record('findings') }}
