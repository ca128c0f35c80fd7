-- The action ledgers as staged by gscor.actions.stage_ledgers (already validated: status in open|done|dropped,
-- dates typed, done_date set exactly when status is done). Adds entity_key, the entity id in the form
-- fct_entity_metric_weekly keys its series by: keywords normalised like the keyword marts, a channel mapped
-- through the seed channel_map to its canonical name (a channel_class such as 'events_channels' stays as is),
-- 'store' for the store; and the metric lower-cased.
with

source as (

    select * from {{ source('actions', 'ledger') }}

),

channel_map as (

    select * from {{ ref('channel_map') }}

),

renamed as (

    select
        source.action_id,
        source.account_id,
        source.created_on,
        source.report_period_end,
        source.finding_id,
        source.rule_id,
        source.entity_type,
        source.entity_id,
        source.entity_label,
        lower(trim(source.metric)) as metric,
        source.value_at_creation,
        source.action_code,
        source.action_text_zh,
        source.action_text_en,
        source.owner,
        source.due_date,
        source.status,
        source.done_date,
        source.note,
        case
            when source.entity_type = 'store' then 'store'
            when source.entity_type in ('keyword', 'p4p_keyword')
                then {{ gscor_normalise_keyword('source.entity_id') }}
            when source.entity_type = 'channel'
                then coalesce(channel_map.channel_name_zh, trim(source.entity_id))
            else trim(source.entity_id)
        end as entity_key,
        source.source_file,
        source.source_row,
        source.staged_at
    from source
    left join channel_map
        on
            source.entity_type = 'channel'
            and {{ gscor_normalise_text('source.entity_id') }} = channel_map.channel_key

)

select * from renamed
