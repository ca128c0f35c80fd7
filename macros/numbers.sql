{#-
    Numbers. Portable: arithmetic, exp and abs over the vocabulary's types only.

    gscor_ratio(numerator, denominator): numerator / denominator as an 8-byte double (gscor_type('double');
        gscor_type('float') is a 4-byte FLOAT on DuckDB, too coarse for rates), NULL when the denominator is 0 or
        NULL (never a division error, never 0 for "no data"). The one ratio macro of the project.
    gscor_normal_two_sided_p(z): the two-sided p-value of a standard-normal test statistic,
        P(|Z| >= |z|) = erfc(|z| / sqrt(2)), as a double in [0, 1]; NULL when z is NULL.
        Neither erf nor a normal CDF is in DuckDB core (nor portable SQL), so erfc is computed with the
        Chebyshev-fitted approximation `erfcc` of Press, Teukolsky, Vetterling & Flannery, Numerical Recipes in C
        (2nd ed., 1992), section 6.2: with t = 1 / (1 + x / 2),
            erfc(x) ~= t * exp(-x^2 - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                       + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                       + t * (-0.82215223 + t * 0.17087277)))))))))
        for x >= 0, with a FRACTIONAL error below 1.2e-7 everywhere (better than Abramowitz & Stegun 7.1.26,
        whose error bound 1.5e-7 is absolute and so useless for small p-values). At z = 0 the formula gives
        1 + 3e-8: capped at 1. Known values (reference: scipy 2 * norm.sf): z = 1.96 -> 0.0499958, 2.5758 -> 0.0100,
        3.2905 -> 0.0010, 5 -> 5.733e-7; checked by tests/dbt/advanced/assert_normal_p_value_matches_reference.sql.
-#}
{% macro gscor_ratio(numerator, denominator) -%}
    (cast({{ numerator }} as {{ gscor_type('double') }}) / nullif(cast({{ denominator }} as {{ gscor_type('double') }}), 0))
{%- endmacro %}

{% macro gscor_normal_two_sided_p(z) -%}
    (
        case
            when ({{ z }}) is null then null
            else least(
                cast(1 as {{ gscor_type('double') }}),
                {{ _gscor_erfcc_t(z) }} * exp(
                    -0.5 * cast({{ z }} as {{ gscor_type('double') }}) * cast({{ z }} as {{ gscor_type('double') }})
                    - 1.26551223 + {{ _gscor_erfcc_t(z) }} * (1.00002368 + {{ _gscor_erfcc_t(z) }} * (0.37409196
                    + {{ _gscor_erfcc_t(z) }} * (0.09678418 + {{ _gscor_erfcc_t(z) }} * (-0.18628806
                    + {{ _gscor_erfcc_t(z) }} * (0.27886807 + {{ _gscor_erfcc_t(z) }} * (-1.13520398
                    + {{ _gscor_erfcc_t(z) }} * (1.48851587 + {{ _gscor_erfcc_t(z) }} * (-0.82215223
                    + {{ _gscor_erfcc_t(z) }} * 0.17087277))))))))
                )
            )
        end
    )
{%- endmacro %}

{#- t = 1 / (1 + x / 2) with x = |z| / sqrt(2) -#}
{% macro _gscor_erfcc_t(z) -%}
    (1.0 / (1.0 + 0.5 * abs(cast({{ z }} as {{ gscor_type('double') }})) / 1.4142135623730951))
{%- endmacro %}
