-- Conformed keyword key: every keyword_key of the P4P keyword fact (fct_p4p_keyword_daily, built by the P4P
-- slice with surrogate(account_id, gscor_normalise_keyword(keyword))) must exist in dim_keyword, whose key is
-- surrogate(account_id, gscor_normalise_text(keyword)). The two agree unless a keyword carries full-width
-- characters (gscor_normalise_text folds them first): this test catches that drift.
select
    p4p.account_id,
    p4p.keyword,
    p4p.keyword_key
from {{ ref('fct_p4p_keyword_daily') }} as p4p
left join {{ ref('dim_keyword') }} as keywords
    on p4p.keyword_key = keywords.keyword_key
where keywords.keyword_key is null
