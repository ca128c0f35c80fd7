-- An account override in rule_thresholds must name a (rule_id, parameter) that has a global default row:
-- otherwise a typo in the parameter name would be silently ignored by the rule. Returns the orphan overrides.
select
    overrides.rule_id,
    overrides.parameter,
    overrides.account_id
from {{ ref('rule_thresholds') }} as overrides
left join {{ ref('rule_thresholds') }} as global_rows
    on
        overrides.rule_id = global_rows.rule_id
        and overrides.parameter = global_rows.parameter
        and global_rows.account_id is null
where
    overrides.account_id is not null
    and global_rows.rule_id is null
