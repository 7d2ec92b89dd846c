typedef int pg_placeholder_sim;
