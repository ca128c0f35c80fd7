-- gscor_normal_two_sided_p (macros/numbers.sql) against reference two-sided p-values of the standard normal
-- distribution (scipy.stats.norm.sf, double precision): the approximation promises a relative error below 1.2e-7.
-- Returns the z values where it is off by more than that (plus 1e-12 absolute slack for the cap at 1).
with

reference as (

    select
        reference_values.z,
        reference_values.expected_p
    from (
        values
        (0.0, 1.0),
        (0.5, 0.6170750774519738),
        (1.0, 0.31731050786291415),
        (1.644854, 0.09999992305082607),
        (1.96, 0.04999579029644087),
        (-1.96, 0.04999579029644087),
        (2.326348, 0.019999993285838156),
        (2.575829, 0.010000008778481622),
        (3.0, 0.0026997960632601866),
        (3.290527, 0.0009999990456203943),
        (4.0, 0.00006334248366623973),
        (5.0, 0.0000005733031437583866),
        (6.0, 0.000000001973175290075389)
    ) as reference_values (z, expected_p)

),

computed as (

    select
        z,
        expected_p,
        {{ gscor_normal_two_sided_p('z') }} as computed_p
    from reference

)

select *
from computed
where
    computed_p is null
    or abs(computed_p - expected_p) > 1.2e-7 * expected_p + 1e-12
