"""Reading the figures: a series per scope (a sub-region's and the county's computed from their members where
they have not reported one), target attainment, a strategy's indicators at a glance, and the series as a chart."""
