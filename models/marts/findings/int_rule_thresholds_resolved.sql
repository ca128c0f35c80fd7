-- The threshold every rule uses for every account: the seed rule_thresholds' global rows (account_id empty),
-- replaced by an account's own row for the same (rule_id, parameter) where the seed has one.
-- Grain: account_id × rule_id × parameter.

with accounts as (
    select account_id from {{ ref('dim_account') }}
),

thresholds as (
    select
        rule_id,
        parameter,
        value,
        account_id
    from {{ ref('rule_thresholds') }}
),

global_defaults as (
    select
        accounts.account_id,
        thresholds.rule_id,
        thresholds.parameter,
        thresholds.value
    from accounts
    cross join thresholds
    where thresholds.account_id is null
),

account_overrides as (
    select
        account_id,
        rule_id,
        parameter,
        value
    from thresholds
    where account_id is not null
),

resolved as (
    select
        global_defaults.account_id,
        global_defaults.rule_id,
        global_defaults.parameter,
        coalesce(account_overrides.value, global_defaults.value) as threshold_value,
        global_defaults.value as default_value,
        account_overrides.account_id is not null as is_account_override
    from global_defaults
    left join account_overrides
        on
            global_defaults.account_id = account_overrides.account_id
            and global_defaults.rule_id = account_overrides.rule_id
            and global_defaults.parameter = account_overrides.parameter
)

select * from resolved
